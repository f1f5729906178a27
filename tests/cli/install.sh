#!/usr/bin/env bash
# `cmake --install` puts in place what a user needs: the binary (which runs),
# the man page (which man -l renders), the spec template and its JSON Schema,
# the licence. Usage: install.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
apilint=$(realpath "$1")
build=$(dirname "$apilint")
[ -f "$build/cmake_install.cmake" ] || { echo "skip: $build is not a build tree"; exit 77; }
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "FAIL: $*"; exit 1; }
for f in bin/apilint share/man/man1/apilint.1 share/apilint/api.yaml \
         share/apilint/apilint.schema.json share/doc/apilint/LICENSE; do
  [ -s "$prefix/$f" ] || fail "$f not installed"
done
"$prefix/bin/apilint" --version | grep -q '^apilint ' || fail "installed binary does not run"
cmp -s "$prefix/share/apilint/api.yaml" "$3/specs/api.yaml" || fail "template differs"
if command -v man >/dev/null; then
  # Into a variable, not `| grep -q`: under pipefail an early match would
  # leave man writing to a closed pipe (SIGPIPE) and fail the pipeline.
  page=$(MANWIDTH=80 man -l "$prefix/share/man/man1/apilint.1" 2>/dev/null) ||
    fail "installed man page does not render"
  grep -q 'apilint init' <<<"$page" || fail "installed man page does not render"
fi
grep -q 'MIT License' "$prefix/share/doc/apilint/LICENSE" || fail "LICENSE is not the MIT licence"
echo "install: binary, man page, template, schema and licence in place"
