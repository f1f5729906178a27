# lib.sh - shared by the tests/import scripts: a temporary directory that is
# removed on success and kept (path printed) on failure, the fixture server
# started on port 0 and stopped by its PID, npm tools found in
# build-tools/node_modules of the checkout (skip 77 when absent, unless CI is
# set), and check helpers that count failures instead of stopping at the
# first one.
# shellcheck shell=bash
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
test_name=${test_name:-import}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apilint-$test_name.XXXXXX")
failures=0
pids=()

cleanup() {
  local p
  for p in ${pids[@]+"${pids[@]}"}; do
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  if [ "$failures" -eq 0 ]; then
    rm -rf "$tmp"
  else
    echo "$test_name: temporary directory kept: $tmp" >&2
  fi
}
trap cleanup EXIT

fail() {
  echo "FAIL [$test_name]: $*" >&2
  failures=$((failures + 1))
}

# skip_or_fail REASON: exit 77, or fail under CI (a missing tool is a bug
# of the CI machine there).
skip_or_fail() {
  if [ -n "${CI:-}" ]; then
    echo "FAIL [$test_name]: $1 (CI is set: tools must be installed)" >&2
    failures=$((failures + 1))
    exit 1
  fi
  echo "skip [$test_name]: $1" >&2
  exit 77
}

# need_npm PACKAGE: the package's directory in build-tools/node_modules.
need_npm() {
  local d="$top/build-tools/node_modules/$1"
  [ -d "$d" ] || skip_or_fail "npm package $1 is not installed (bash .ci/install-deps)"
  printf '%s' "$d"
}

# need_browser: headless Chromium (Debian's /usr/bin/chromium), node and
# npm puppeteer-core, or skip (77).
need_browser() {
  [ -x /usr/bin/chromium ] || skip_or_fail "/usr/bin/chromium is not installed"
  command -v node >/dev/null || skip_or_fail "node is not installed"
  need_npm puppeteer-core >/dev/null
}

# start_fixture REPLIES: starts the fixture server, sets FIXTURE_URL and
# FIXTURE_LOG. Bounded wait for its port file.
start_fixture() {
  local server=$1 replies=$2 n=${3:-fx}
  FIXTURE_LOG=$tmp/$n.log
  : >"$FIXTURE_LOG"
  "$server" --replies "$replies" --port-file "$tmp/$n.port" \
    --log "$FIXTURE_LOG" --max-seconds 300 >"$tmp/$n.out" 2>&1 &
  pids+=($!)
  local tries=0
  while [ ! -s "$tmp/$n.port" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 400 ]; then
      fail "fixture server wrote no port file within 20 s"
      exit 1
    fi
    sleep 0.05
  done
  FIXTURE_URL=http://127.0.0.1:$(cat "$tmp/$n.port")
}

# expect_exit WANT GOT WHAT
expect_exit() {
  [ "$2" -eq "$1" ] || fail "$3: exit $2, expected $1"
}

# expect_grep ERE FILE WHAT / expect_no_grep ERE FILE WHAT
expect_grep() {
  grep -Eq -- "$1" "$2" || {
    fail "$3: no line matches /$1/ in $2:"
    head -c 2000 "$2" >&2
  }
}
expect_no_grep() {
  if grep -Eq -- "$1" "$2"; then
    fail "$3: /$1/ must not appear in $2:"
    grep -E -- "$1" "$2" | head -5 >&2
  fi
}

# asan APILINT: 0 when the binary is built with AddressSanitizer (then no
# address-space limit: ASan reserves terabytes of it).
asan() {
  ldd "$1" 2>/dev/null | grep -q libasan
}

# bounded CMD...: runs CMD with a time limit and, without ASan, a 1 GiB
# address-space limit: a hostile input must give an error or a result, not
# unbounded memory.
bounded() {
  if asan "$1"; then
    timeout 60 "$@"
  else
    (ulimit -v 1048576 && timeout 60 "$@")
  fi
}

finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$test_name: $failures check(s) failed" >&2
    exit 1
  fi
  echo "$test_name: ok${1:+ ($1)}"
  exit 0
}
