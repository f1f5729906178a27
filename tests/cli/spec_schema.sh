#!/usr/bin/env bash
# specs/apilint.schema.json (the spec format as a JSON Schema, for editors)
# accepts every spec of specs/ and tests/ that apilint loads, and rejects a
# misspelt key and a lower-case method, checked by a real validator (npm
# ajv-cli, pinned in .ci/packages-npm.txt). Skipped (77) without ajv unless
# CI is set. Usage: spec_schema.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
src=$(realpath "$3")
schema=$src/specs/apilint.schema.json
ajv=$src/build-tools/node_modules/.bin/ajv
if [ ! -x "$ajv" ]; then
  [ -n "${CI:-}" ] && { echo "ajv missing under CI: run .ci/install-deps"; exit 1; }
  echo "skip: $ajv not installed (bash .ci/install-deps)"; exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
opts=(--spec=draft7 --strict=true --allow-union-types)
"$ajv" compile "${opts[@]}" -s "$schema" >/dev/null

# Every spec that loads: the examples, the e2e cases but those that expect a
# load error (exit 2), the nginx cases.
specs=("$src"/specs/*.yaml)
for f in "$src"/tests/*/*/spec.yaml; do
  case_dir=$(dirname "$f")
  if [ -f "$case_dir/expected.exit" ] && [ "$(tr -d '[:space:]' <"$case_dir/expected.exit")" = 2 ]; then
    continue
  fi
  # An OpenAPI document where a spec goes: what the schema must accept is
  # the spec apilint imports from it.
  if grep -Eq '^(openapi|swagger):' "$f"; then
    out="$dir/imported-$(basename "$case_dir").yaml"
    "$1" import "$f" -o "$out" || { echo "FAIL: apilint import $f"; exit 1; }
    f=$out
  fi
  specs+=("$f")
done
[ "${#specs[@]}" -ge 50 ] || { echo "found only ${#specs[@]} specs"; exit 1; }
args=()
for f in "${specs[@]}"; do args+=(-d "$f"); done
if ! "$ajv" validate "${opts[@]}" -s "$schema" "${args[@]}" >"$dir/out.txt" 2>&1; then
  grep -B1 -A12 ' invalid' "$dir/out.txt" | head -60
  echo "FAIL: the schema rejects specs apilint loads"
  exit 1
fi
valid=$(grep -c ' valid$' "$dir/out.txt")
[ "$valid" -eq "${#specs[@]}" ] || { echo "FAIL: $valid of ${#specs[@]} reported valid"; exit 1; }

# Negative: a misspelt key, a lower-case method, a status out of range.
reject() { # NAME SED-EXPRESSION
  sed -e "$2" "$src/specs/api.yaml" >"$dir/$1.yaml"
  cmp -s "$dir/$1.yaml" "$src/specs/api.yaml" && { echo "FAIL: '$2' changed nothing"; exit 1; }
  if "$ajv" validate "${opts[@]}" -s "$schema" -d "$dir/$1.yaml" >"$dir/$1.out" 2>&1; then
    echo "FAIL: the schema accepts $1"; exit 1
  fi
  grep -q "invalid" "$dir/$1.out" || { echo "FAIL: no verdict for $1"; cat "$dir/$1.out"; exit 1; }
}
reject misspelt-key 's/^    method: POST /    methd: POST /'
reject lower-case-method 's/^    method: POST /    method: post /'
reject status-out-of-range 's/^      status: 201 /      status: 601 /'
reject unknown-probe 's/probes: \[method-not-allowed, options\]/probes: [method-not-alowed]/'
grep -q "methd" "$dir/misspelt-key.out" || { echo "FAIL: the error does not name 'methd'"; exit 1; }
echo "schema: ${#specs[@]} specs valid, 4 broken ones rejected"
