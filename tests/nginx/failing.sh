#!/usr/bin/env bash
# nginx/failing: runs the real apilint with every probe against a real nginx
# (Debian package) whose locations fail whatever is sent (return 500, a
# dead proxy_pass, return 503), and checks
#   - the exit status is tests/nginx/failing/expected.exit;
#   - the findings, the endpoints' own and their probes', are exactly
#     tests/nginx/failing/expected.findings (an equal set);
#   - no probe finding contradicts the endpoint's own answer
#     (tests/agree/probes_agree.jq): the endpoint fails without the probe's
#     help, so no probe rule may blame the probe;
#   - the malformed bodies did reach nginx (3 POSTs after each endpoint's
#     own).
# Exit 77 (skip) when nginx is not installed, unless $CI is set: then that
# is a failure.
#
#   failing.sh APILINT
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=case_lib.sh
. "$here/case_lib.sh"
case_begin failing "$@"

case_run
# The jq filters' $n and \(...) are jq's, not the shell's.
# shellcheck disable=SC2016
case_equal_set expected.findings \
  '.endpoints[] | .name as $n
   | ((.findings // [])[] | "\($n)\t\(.rule)"),
     ((.probes // [])[] | .probe as $p | (.findings // [])[]
      | "\($n)\t\(.rule)\t\($p)")' \
  reported "ENDPOINT<TAB>RULE[<TAB>PROBE]"
case_probes_agree
log=$NGINX_DIR/methods.log
for loc in '/broken 500' '/gone 502' '/busy 503'; do
  got=$(grep -c "^POST $loc\$" "$log")
  # at least the endpoint's own POST and the three malformed bodies
  if [ "$got" -lt 4 ]; then
    echo "FAIL: $got POSTs to ${loc% *} in nginx's log, expected at least 4" >&2
    fail=1
  fi
done
case_end "$log" \
  "nginx/failing: ok ($(wc -l <"$work/reported") findings as expected," \
  "$(wc -l <"$log") requests)"
