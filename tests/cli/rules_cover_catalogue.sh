#!/usr/bin/env bash
# `apilint rules` lists every rule id and probe name of ../shared/RULES.md,
# and `apilint explain` knows each of them (issue 3's "done means").
# Usage: rules_cover_catalogue.sh APILINT SHARED_DIR
# Exit 77 (skipped) when RULES.md is not there (a clone without shared/).
set -euo pipefail
apilint=$1
rules_md=$2/RULES.md
[ -f "$rules_md" ] || { echo "skip: $rules_md absent"; exit 77; }

# Ids are the first backquoted cell of a table row, and the backquoted
# names in "(`rule-id`)" in the probe table.
mapfile -t ids < <(
  { grep -oP '^\| `\K[a-z0-9-]+(?=`)' "$rules_md"
    grep -oP '\(`\K[a-z][a-z0-9-]*-[a-z0-9-]+(?=`)' "$rules_md"; } | sort -u)
[ "${#ids[@]}" -ge 40 ] || { echo "only ${#ids[@]} ids read from $rules_md"; exit 1; }

listed=$("$apilint" rules | awk 'NF {print $1}')
failed=0
for id in "${ids[@]}"; do
  if ! grep -qxF -- "$id" <<<"$listed"; then
    echo "missing from 'apilint rules': $id"
    failed=1
  fi
  if ! "$apilint" explain "$id" >/dev/null; then
    echo "'apilint explain $id' failed"
    failed=1
  fi
done
[ "$failed" -eq 0 ] && echo "${#ids[@]} ids of RULES.md listed and explained"
exit "$failed"
