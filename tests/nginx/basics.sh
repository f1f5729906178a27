#!/usr/bin/env bash
# nginx/basics: runs the real apilint against a real nginx (Debian package)
# and checks the findings are exactly tests/nginx/basics/expected.findings
# (an equal set, as tests/e2e/run_case.sh does) and the exit status
# expected.exit. Exit 77 (skip) when nginx is not installed, unless $CI is
# set: then that is a failure.
#
#   basics.sh APILINT
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case_dir=$here/basics
apilint=${1:?usage: basics.sh APILINT}
. "$here/nginx_lib.sh"
nginx_find || exit $?
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 1; }

work=""
cleanup() {
  nginx_stop
  [ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
work=$(mktemp -d "${TMPDIR:-/tmp}/apilint-nginx-basics.XXXXXX") || exit 1

nginx_start "$(cat "$case_dir/nginx-server.conf")" \
  "$(cat "$case_dir/nginx-http.conf")" || exit 1

# The site: a static JSON file, a directory with an index, a protected and a
# rate-limited area. htpasswd's {PLAIN} scheme keeps the test free of
# crypt(3) tools.
printf '{"id": 1}\n' >"$NGINX_ROOT/item.json"
mkdir -p "$NGINX_ROOT/docs" "$NGINX_ROOT/private" "$NGINX_ROOT/limited"
printf '<p>docs</p>\n' >"$NGINX_ROOT/docs/index.html"
printf '<p>private</p>\n' >"$NGINX_ROOT/private/index.html"
printf 'ok\n' >"$NGINX_ROOT/limited/a.txt"
printf 'tester:{PLAIN}not-a-real-password\n' >"$NGINX_DIR/htpasswd"

# nginx's ETag is "<hex mtime>-<hex size>" of the file (the spec's expect:
# on the plain GET checks this is what nginx sent).
mtime=$(stat -c %Y "$NGINX_ROOT/item.json") || exit 1
size=$(stat -c %s "$NGINX_ROOT/item.json") || exit 1
export ETAG_VALUE
ETAG_VALUE=$(printf '%x-%x' "$mtime" "$size")
export BASIC_CREDENTIALS
BASIC_CREDENTIALS=$(printf 'tester:not-a-real-password' | base64)
export NGINX_URL NGINX_PORT

status=0
(cd "$case_dir" && NO_COLOR=1 timeout 100 "$apilint" --jobs 1 \
  --json "$work/out.json" spec.yaml) >"$work/stdout" 2>"$work/stderr" ||
  status=$?

fail=0
want_exit=$(grep -v '^#' "$case_dir/expected.exit" | tr -d '[:space:]')
if [ "$status" != "$want_exit" ]; then
  echo "FAIL: exit status $status, expected $want_exit" >&2
  fail=1
fi
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$work/stderr"; then
  echo "FAIL: sanitizer report on stderr" >&2
  fail=1
fi
grep -vE '^[[:space:]]*(#|$)' "$case_dir/expected.findings" | sort -u \
  >"$work/expected"
if ! jq -r '.endpoints[] | .name as $n | .findings[] | "\($n)\t\(.rule)"' \
  "$work/out.json" 2>/dev/null | sort -u >"$work/reported"; then
  echo "FAIL: no readable out.json" >&2
  fail=1
fi
if ! diff -u --label expected.findings --label out.json "$work/expected" \
  "$work/reported" >&2; then
  echo "FAIL: findings differ (- expected, + reported)" >&2
  fail=1
fi
if [ "$fail" -ne 0 ]; then
  echo "--- apilint stdout ---" >&2
  cat "$work/stdout" >&2
  echo "--- apilint stderr ---" >&2
  cat "$work/stderr" >&2
  echo "--- nginx access log ---" >&2
  cat "$NGINX_DIR/access.log" >&2
  exit 1
fi
echo "nginx/basics: ok ($(wc -l <"$work/reported") findings as expected)"
