#!/usr/bin/env bash
# nginx/basics: runs the real apilint against a real nginx (Debian package)
# and checks the findings are exactly tests/nginx/basics/expected.findings
# (an equal set, as tests/e2e/run_case.sh does) and the exit status
# expected.exit. Exit 77 (skip) when nginx is not installed, unless $CI is
# set: then that is a failure.
#
#   basics.sh APILINT
#
# KEEP_OUT=FILE keeps a copy of apilint's JSON report, NGINX_KEEP=1 nginx's
# directory with its logs.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=case_lib.sh
. "$here/case_lib.sh"
case_begin basics "$@"

# The site: the common one (case_lib.sh) with an index in the protected
# area.
printf '<p>private</p>\n' >"$NGINX_ROOT/private/index.html"

case_run
# The jq filters' $n and \(...) are jq's, not the shell's.
# shellcheck disable=SC2016
case_equal_set expected.findings \
  '.endpoints[] | .name as $n | .findings[] | "\($n)\t\(.rule)"' \
  reported "ENDPOINT<TAB>RULE"
case_end "$NGINX_DIR/access.log" \
  "nginx/basics: ok ($(wc -l <"$work/reported") findings as expected)"
