#!/usr/bin/env bash
# `apilint init [FILE]` writes the commented spec template, byte for byte
# specs/api.yaml, which loads as it is; it never replaces anything (a file,
# a dangling symlink), leaves no temporary file, and `-` means stdout.
# Usage: init.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
apilint=$(realpath "$1")
src=$(realpath "$3")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
fail() { echo "FAIL: $*"; exit 1; }

"$apilint" init >out.txt || fail "init exited $?"
[ -f apilint.yaml ] || fail "no apilint.yaml written"
cmp -s apilint.yaml "$src/specs/api.yaml" || fail "apilint.yaml differs from specs/api.yaml"
grep -q "apilint apilint.yaml" out.txt || fail "no hint on stdout: $(cat out.txt)"

# It loads: against a refused port the run gets as far as sending (exit 3),
# where a spec error would be exit 2.
set +e
API_URL=http://127.0.0.1:1 "$apilint" -q apilint.yaml >run.txt 2>&1
rc=$?
set -e
[ "$rc" -eq 3 ] || fail "the template did not load and run (exit $rc): $(head -3 run.txt)"

# Never replaces: a file with other content, then a dangling symlink.
echo "mine" >mine.yaml
set +e
"$apilint" init mine.yaml 2>err.txt; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "init over an existing file exited $rc"
[ "$(cat mine.yaml)" = "mine" ] || fail "init replaced an existing file"
grep -q "already exists" err.txt || fail "no clear message: $(cat err.txt)"
ln -s nowhere/at/all.yaml dangling.yaml
set +e
"$apilint" init dangling.yaml 2>/dev/null; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "init over a dangling symlink exited $rc"
[ -L dangling.yaml ] || fail "the dangling symlink was replaced"

# A directory that does not exist: a clear error, nothing left.
set +e
"$apilint" init no/such/dir/x.yaml 2>err.txt; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "init into a missing directory exited $rc"

"$apilint" init - >stdout.yaml || fail "init - exited $?"
cmp -s stdout.yaml "$src/specs/api.yaml" || fail "init - differs from specs/api.yaml"
set +e
"$apilint" init a.yaml b.yaml 2>/dev/null; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "init with two files exited $rc"

leftover=$(find . -name '*.XXXXXX' -o -name '*.yaml.??????' | head -1)
[ -z "$leftover" ] || fail "temporary file left behind: $leftover"
echo "init: template written, loads, never replaces, no temporary file"
