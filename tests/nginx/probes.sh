#!/usr/bin/env bash
# nginx/probes: runs the real apilint with active probes against a real
# nginx (Debian package) and checks
#   - the exit status is tests/nginx/probes/expected.exit;
#   - the findings, the endpoints' own (ENDPOINT<TAB>RULE) and their
#     probes' (ENDPOINT<TAB>RULE<TAB>PROBE), are exactly
#     tests/nginx/probes/expected.findings (an equal set, as
#     tests/e2e/run_case.sh does);
#   - every probe request (probe, step, what was sent, nginx's status) is
#     in tests/nginx/probes/expected.probes (an equal set);
#   - no DELETE or PUT reached nginx (its access log records every
#     request's method), and the probes did reach it (HEAD, OPTIONS, PATCH
#     and the rate-limit bursts are in the log).
# Exit 77 (skip) when nginx is not installed, unless $CI is set: then that
# is a failure.
#
#   probes.sh APILINT
#
# KEEP_OUT=FILE keeps a copy of apilint's JSON report (for debugging or
# re-recording), NGINX_KEEP=1 nginx's directory with its logs.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case_dir=$here/probes
apilint=${1:?usage: probes.sh APILINT}
# shellcheck source-path=SCRIPTDIR source=nginx_lib.sh
. "$here/nginx_lib.sh"
nginx_find || exit $?
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 1; }

work=""
cleanup() {
  nginx_stop
  if [ -n "${KEEP_OUT:-}" ]; then cp "$work/out.json" "$KEEP_OUT" 2>/dev/null; fi
  [ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
work=$(mktemp -d "${TMPDIR:-/tmp}/apilint-nginx-probes.XXXXXX") || exit 1

nginx_start "$(cat "$case_dir/nginx-server.conf")" \
  "$(cat "$case_dir/nginx-http.conf")" || exit 1

# The site: a static JSON file, a directory with an index, a protected JSON
# file and two rate-limited areas. htpasswd's {PLAIN} scheme keeps the test
# free of crypt(3) tools.
printf '{"id": 1}\n' >"$NGINX_ROOT/item.json"
mkdir -p "$NGINX_ROOT/docs" "$NGINX_ROOT/private" "$NGINX_ROOT/limited" \
  "$NGINX_ROOT/limited429"
printf '<p>docs</p>\n' >"$NGINX_ROOT/docs/index.html"
printf '{"secret": true}\n' >"$NGINX_ROOT/private/data.json"
printf 'ok\n' >"$NGINX_ROOT/limited/a.txt"
printf 'ok\n' >"$NGINX_ROOT/limited429/a.txt"
printf 'tester:{PLAIN}not-a-real-password\n' >"$NGINX_DIR/htpasswd"

# nginx's ETag is "<hex mtime>-<hex size>" of the file (the spec's expect:
# on the static file checks this is what nginx sent).
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

grep -vE '^[[:space:]]*(#|$)' "$case_dir/expected.findings" | LC_ALL=C sort -u \
  >"$work/expected"
if ! jq -r '.endpoints[] | .name as $n
            | ((.findings // [])[] | "\($n)\t\(.rule)"),
              ((.probes // [])[] | .probe as $p | (.findings // [])[]
               | "\($n)\t\(.rule)\t\($p)")' "$work/out.json" 2>/dev/null |
  LC_ALL=C sort -u >"$work/reported"; then
  echo "FAIL: no readable out.json" >&2
  fail=1
fi
if ! diff -u --label expected.findings --label out.json "$work/expected" \
  "$work/reported" >&2; then
  echo "FAIL: findings differ (- expected, + reported:" \
    "ENDPOINT<TAB>RULE[<TAB>PROBE])" >&2
  fail=1
fi

# What each probe sent and what nginx answered it (expected.probes).
grep -vE '^[[:space:]]*(#|$)' "$case_dir/expected.probes" | LC_ALL=C sort -u \
  >"$work/probes.want"
jq -r '.endpoints[] | .name as $n | (.probes // [])[]
       | "\($n)\t\(.probe)\t\(.step)\t\(.sent)\t\(.statuses // .status)"' \
  "$work/out.json" 2>/dev/null | LC_ALL=C sort -u >"$work/probes.got"
if ! diff -u --label expected.probes --label out.json "$work/probes.want" \
  "$work/probes.got" >&2; then
  echo "FAIL: probe requests differ (- expected, + reported:" \
    "ENDPOINT<TAB>PROBE<TAB>STEP<TAB>SENT<TAB>STATUS)" >&2
  fail=1
fi

# The access log (log_format apilint: "METHOD URI STATUS") is complete once
# nginx has answered; apilint has exited, so every request is in it.
log=$NGINX_DIR/methods.log
if grep -qE '^(DELETE|PUT) ' "$log"; then
  echo "FAIL: a DELETE or PUT reached nginx (no endpoint declares one):" >&2
  grep -E '^(DELETE|PUT) ' "$log" >&2
  fail=1
fi
# The probes really went out: HEAD, OPTIONS and PATCH to the static file,
# the request without credentials (401), the malformed bodies (POST), and
# each rate-limit burst (burst: 5, all rejected after the endpoint's own
# request took the one token of the minute).
expect_count() { # COUNT PATTERN WHAT
  local got
  got=$(grep -cE "$2" "$log")
  if [ "$got" != "$1" ]; then
    echo "FAIL: $3: $got requests in nginx's access log, expected $1" >&2
    fail=1
  fi
}
expect_count 1 '^HEAD /item\.json 200$' "HEAD probe to the static file"
expect_count 1 '^OPTIONS /item\.json 405$' "OPTIONS probe to the static file"
expect_count 2 '^PATCH /item\.json 405$' \
  "PATCH probes to the static file (GET and POST endpoints)"
expect_count 1 '^GET /private/data\.json 401$' "unauthenticated probe"
expect_count 4 '^POST /item\.json 405$' \
  "POST to the static file (the endpoint and 3 malformed bodies)"
expect_count 5 '^GET /limited/a\.txt 503$' "rate-limit burst (503)"
expect_count 5 '^GET /limited429/a\.txt 429$' "rate-limit burst (429)"

if [ "$fail" -ne 0 ]; then
  echo "--- apilint stdout ---" >&2
  cat "$work/stdout" >&2
  echo "--- apilint stderr ---" >&2
  cat "$work/stderr" >&2
  echo "--- nginx access log ---" >&2
  cat "$log" >&2
  exit 1
fi
echo "nginx/probes: ok ($(wc -l <"$work/reported") findings as expected," \
  "$(wc -l <"$log") requests, no DELETE or PUT)"
