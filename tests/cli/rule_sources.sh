#!/usr/bin/env bash
# Every rule's and probe's `source:` names public references a user can look
# up (RFC sections, IANA, OWASP, CWE, ...), and nothing a user sees names the
# project's internal seed files ("000_df94968f8a4dc52a.txt") or cites the
# unpublished source articles they hold (by title or as "source articles").
# Usage: rule_sources.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
apilint=$1
src=$3
public='RFC [0-9]+|IANA|OWASP|CWE-[0-9]+|libcurl|Zalando|the spec'"'"'s own'
internal='[0-9]{3}_[0-9a-f]{16}\.txt|seed [0-9]{3}|(source|seed) articles?|HTTP 상태 코드|HTTP 웹 기본 지식'

failed=0
mapfile -t ids < <("$apilint" rules | awk 'NF && $1 != "RULE" && $1 != "PROBE" {print $1}')
[ "${#ids[@]}" -ge 40 ] || { echo "only ${#ids[@]} rules and probes listed"; exit 1; }
for id in "${ids[@]}"; do
  text=$("$apilint" explain "$id")
  src_line=$(grep -m1 -E '^  source: ' <<<"$text" || true)
  if ! grep -qE "$public" <<<"$src_line"; then
    echo "$id: source names no public reference: '${src_line# *}'"
    failed=1
  fi
  if grep -qE "$internal" <<<"$text"; then
    echo "$id: explain names an internal source: $(grep -oE "$internal" <<<"$text" | head -1)"
    failed=1
  fi
done
# The rule files users read, the README, the man page and the demo too.
for f in "$src"/rules/*.yaml "$src"/rules/README.md "$src"/README.md \
  "$src"/docs/apilint.1 "$src"/specs/demo.yaml "$src"/specs/demo.replies; do
  if grep -nE "$internal" "$f"; then
    echo "$f names an internal source"
    failed=1
  fi
done
[ "$failed" -eq 0 ] && echo "${#ids[@]} rules and probes cite public sources"
exit "$failed"
