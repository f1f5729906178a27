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
# shellcheck source-path=SCRIPTDIR source=case_lib.sh
. "$here/case_lib.sh"
case_begin probes "$@"

# The site: the common one (case_lib.sh) with a protected JSON file and a
# second rate-limited area.
mkdir -p "$NGINX_ROOT/limited429"
printf '{"secret": true}\n' >"$NGINX_ROOT/private/data.json"
printf 'ok\n' >"$NGINX_ROOT/limited429/a.txt"

case_run
# The jq filters' $n and \(...) are jq's, not the shell's.
# shellcheck disable=SC2016
case_equal_set expected.findings \
  '.endpoints[] | .name as $n
   | ((.findings // [])[] | "\($n)\t\(.rule)"),
     ((.probes // [])[] | .probe as $p | (.findings // [])[]
      | "\($n)\t\(.rule)\t\($p)")' \
  reported "ENDPOINT<TAB>RULE[<TAB>PROBE]"
# What each probe sent and what nginx answered it.
# shellcheck disable=SC2016
case_equal_set expected.probes \
  '.endpoints[] | .name as $n | (.probes // [])[]
   | "\($n)\t\(.probe)\t\(.step)\t\(.sent)\t\(.statuses // .status)"' \
  probes.got "ENDPOINT<TAB>PROBE<TAB>STEP<TAB>SENT<TAB>STATUS"

# No probe finding may contradict the endpoint's own answer.
case_probes_agree

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

case_end "$log" \
  "nginx/probes: ok ($(wc -l <"$work/reported") findings as expected," \
  "$(wc -l <"$log") requests, no DELETE or PUT)"
