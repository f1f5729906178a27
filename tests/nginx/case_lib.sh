# shellcheck shell=bash
# case_lib.sh - what every tests/nginx/<case>.sh does around its own
# checks: start nginx with the case's snippets, build the common site, run
# apilint on the case's spec, compare what it reported with the case's
# expected files (equal sets), and report. Source it from bash (it
# sources nginx_lib.sh):
#
#   case_begin NAME "$@"      # nginx_find (exit 77/1), jq, $work, EXIT trap,
#                             # nginx_start with NAME/nginx-{server,http}.conf,
#                             # the common site (case_site: item.json, docs/,
#                             # private/, limited/a.txt, htpasswd; exports
#                             # ETAG_VALUE, BASIC_CREDENTIALS, NGINX_URL/PORT)
#   case_run                  # apilint --json $work/out.json; checks the exit
#                             # status (expected.exit) and sanitizer reports
#   case_equal_set EXPECTED JQ_FILTER GOT WHAT
#   case_probes_agree         # no probe finding contradicts the endpoint's
#                             # own answer (tests/agree/probes_agree.jq)
#   case_end LOG SUMMARY...   # on any failure: apilint's output, LOG, exit 1
#
# Sets case_dir, work, status and fail (0, or 1 once anything failed; the
# case's own checks set it too). KEEP_OUT=FILE keeps a copy of apilint's
# JSON report (for debugging or re-recording).

# shellcheck source-path=SCRIPTDIR source=nginx_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/nginx_lib.sh"

case_dir=""
work=""
status=0
fail=0
_case_apilint=""

_case_cleanup() {
  nginx_stop
  if [ -n "${KEEP_OUT:-}" ] && [ -n "$work" ]; then
    cp "$work/out.json" "$KEEP_OUT" 2>/dev/null
  fi
  [ -n "$work" ] && rm -rf "$work"
}

# case_begin NAME APILINT: exits 77 (skip) when nginx is not installed
# (1 when $CI is set), 1 when jq is missing or nginx does not start, 2
# without APILINT. The case's script adds its own files to the site.
case_begin() {
  local name=$1
  case_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$name
  _case_apilint=${2:?usage: $name.sh APILINT}
  nginx_find || exit $?
  command -v jq >/dev/null || {
    echo "jq is needed" >&2
    exit 1
  }
  trap _case_cleanup EXIT
  work=$(mktemp -d "${TMPDIR:-/tmp}/apilint-nginx-$name.XXXXXX") || exit 1
  nginx_start "$(cat "$case_dir/nginx-server.conf")" \
    "$(cat "$case_dir/nginx-http.conf")" || exit 1
  case_site
}

# The part of the site every case serves: a static JSON file, a directory
# with an index, a rate-limited file and the credentials of the protected
# area. htpasswd's {PLAIN} scheme keeps the tests free of crypt(3) tools.
case_site() {
  printf '{"id": 1}\n' >"$NGINX_ROOT/item.json"
  mkdir -p "$NGINX_ROOT/docs" "$NGINX_ROOT/private" "$NGINX_ROOT/limited"
  printf '<p>docs</p>\n' >"$NGINX_ROOT/docs/index.html"
  printf 'ok\n' >"$NGINX_ROOT/limited/a.txt"
  printf 'tester:{PLAIN}not-a-real-password\n' >"$NGINX_DIR/htpasswd"

  # nginx's ETag is "<hex mtime>-<hex size>" of the file (the specs' expect:
  # on the static file checks this is what nginx sent).
  local mtime size
  mtime=$(stat -c %Y "$NGINX_ROOT/item.json") || exit 1
  size=$(stat -c %s "$NGINX_ROOT/item.json") || exit 1
  ETAG_VALUE=$(printf '%x-%x' "$mtime" "$size")
  BASIC_CREDENTIALS=$(printf 'tester:not-a-real-password' | base64)
  export ETAG_VALUE BASIC_CREDENTIALS NGINX_URL NGINX_PORT
}

case_run() {
  status=0
  (cd "$case_dir" && NO_COLOR=1 timeout 100 "$_case_apilint" --jobs 1 \
    --json "$work/out.json" spec.yaml) >"$work/stdout" 2>"$work/stderr" ||
    status=$?
  local want_exit
  want_exit=$(grep -v '^#' "$case_dir/expected.exit" | tr -d '[:space:]')
  if [ "$status" != "$want_exit" ]; then
    echo "FAIL: exit status $status, expected $want_exit" >&2
    fail=1
  fi
  if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$work/stderr"; then
    echo "FAIL: sanitizer report on stderr" >&2
    fail=1
  fi
}

# case_equal_set EXPECTED JQ_FILTER GOT WHAT
#   The lines of the case's file EXPECTED (comments and blank lines left
#   out) and the lines JQ_FILTER makes of out.json must be the same set;
#   the latter are kept in $work/GOT. WHAT names the line's fields in the
#   failure message. An unreadable out.json fails too.
case_equal_set() {
  local expected=$1 filter=$2 got=$work/$3 what=$4
  grep -vE '^[[:space:]]*(#|$)' "$case_dir/$expected" | LC_ALL=C sort -u \
    >"$got.want"
  if ! jq -r "$filter" "$work/out.json" >"$got.raw" 2>/dev/null; then
    echo "FAIL: no readable out.json for $expected" >&2
    fail=1
  fi
  LC_ALL=C sort -u "$got.raw" >"$got"
  if ! diff -u --label "$expected" --label out.json "$got.want" "$got" >&2; then
    echo "FAIL: $expected differs (- expected, + reported: $what)" >&2
    fail=1
  fi
}

# case_probes_agree: out.json must hold no probe finding that contradicts
# the endpoint's own answer (tests/agree/probes_agree.jq, issue 13); each
# one found is printed and fails the case.
case_probes_agree() {
  local rules bad
  rules=$("$_case_apilint" rules | awk '/\[probe: /{print $1}' |
    jq -R . | jq -sc .)
  bad=$(jq -r --argjson probe_rules "$rules" \
    -f "$(dirname "${BASH_SOURCE[0]}")/../agree/probes_agree.jq" \
    "$work/out.json" 2>&1)
  if [ -n "$bad" ]; then
    echo "FAIL: a probe finding contradicts the endpoint's own answer:" >&2
    printf '%s\n' "$bad" >&2
    fail=1
  fi
}

# case_end LOG SUMMARY...: on a failure prints apilint's stdout and stderr
# and LOG (nginx's log of the requests) and exits 1, else prints SUMMARY.
case_end() {
  if [ "$fail" -ne 0 ]; then
    echo "--- apilint stdout ---" >&2
    cat "$work/stdout" >&2
    echo "--- apilint stderr ---" >&2
    cat "$work/stderr" >&2
    echo "--- nginx access log ---" >&2
    cat "$1" >&2
    exit 1
  fi
  shift
  echo "$*"
}
