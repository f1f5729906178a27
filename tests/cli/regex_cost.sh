#!/usr/bin/env bash
# Issue 14 item 4: what a user's regular expression may cost, measured from
# outside the process. "^((a?a?a?a?){1,25}){1,25}$" once took glibc's
# regcomp 24 s and 11.4 GB; in a spec's `expect: headers:` and in a --rules
# file it is now refused at load with file:line:col, within a time and
# memory bound (GNU time's max RSS, under `timeout`), nothing sent. A
# pattern of the same shape that fits the bound is run by the linear
# matcher (src/ere.h) and judged right on both sides of its limit, and an
# ordinary pattern matches and mismatches as before, against the fixture
# server.
# Usage: regex_cost.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
apilint=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$here/lib/run.bash"
require timeout
[ -x /usr/bin/time ] || {
  [ -n "${CI:-}" ] && fail "/usr/bin/time (Debian package time) is required under CI"
  echo "skip: /usr/bin/time not installed (Debian package time)"
  exit 77
}

max_seconds=10
max_rss_kb=$((200 * 1024))
explosive='^((a?a?a?a?){1,25}){1,25}$'
# The same shape, 578 states: up to 256 a's, accepted and matched.
fits='^((a?a?a?a?){1,8}){1,8}$'
a256=$(printf 'a%.0s' $(seq 256))
# A regression must not take the machine down with it: 2 GB of address
# space at most (the RSS bound is the test), except under ASan, whose
# shadow memory reserves terabytes of address space.
vm_cap=2097152
grep -a -q __asan_init "$apilint" && vm_cap=unlimited

cat >"$tmp/replies" <<R
=== GET /text
HTTP/1.1 200 OK
Content-Type: text/plain
Content-Length: auto

ok
=== GET /a256
HTTP/1.1 200 OK
Content-Type: text/plain
X-Run: $a256
Content-Length: auto

ok
=== GET /a257
HTTP/1.1 200 OK
Content-Type: text/plain
X-Run: ${a256}a
Content-Length: auto

ok
R
start_server "$tmp/replies"
cd "$tmp"

# measured NAME WANT_EXIT ARGS...: runs apilint under timeout and GNU time
# (stdout+stderr in NAME.out, time's report in NAME.time), checks the exit
# status, the wall-clock time and the maximum resident set size.
measured() {
  local name=$1 want=$2 rc=0
  shift 2
  (ulimit -v "$vm_cap" && exec /usr/bin/time -v -o "$name.time" \
    timeout -k 2 "$max_seconds" "$apilint" "$@") >"$name.out" 2>&1 || rc=$?
  [ "$rc" != 124 ] && [ "$rc" != 137 ] ||
    fail "$name: still running after $max_seconds s (timeout)"
  [ "$rc" = "$want" ] || { cat "$name.out"; fail "$name: exit $rc, expected $want"; }
  local rss wall
  rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$name.time")
  wall=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time.*: //p' "$name.time")
  [ -n "$rss" ] || fail "$name: no RSS in GNU time's report: $(cat "$name.time")"
  [ "$rss" -lt "$max_rss_kb" ] || fail "$name: max RSS $rss kB, bound $max_rss_kb kB"
  echo "$name: exit $rc, ${wall} wall, max RSS ${rss} kB"
}
must() { grep -E -q -- "$2" "$1.out" || { cat "$1.out"; fail "$1: no /$2/"; }; }
must_not() { ! grep -E -q -- "$2" "$1.out" || { cat "$1.out"; fail "$1: /$2/"; }; }
no_requests() { [ "$(requests)" = 0 ] || fail "$1: $(requests) request(s) sent"; }

# --- refused, by position, before anything is sent -------------------------
cat >spec-explosive.yaml <<Y
version: 1
base_url: $FIXTURE_URL
endpoints:
  - path: /text
    expect: {headers: {Content-Type: "$explosive"}}
Y
measured spec-explosive 2 spec-explosive.yaml
must spec-explosive "spec-explosive\\.yaml:5:38: bad regular expression for header 'Content-Type': pattern too costly: .*more than 2000 states"
no_requests spec-explosive

cat >plain.yaml <<Y
version: 1
base_url: $FIXTURE_URL
endpoints:
  - {name: text, path: /text}
  - {name: a256, path: /a256}
  - {name: a257, path: /a257}
Y
rule_file() { # rule_file FILE PATTERN
  cat >"$1" <<Y
version: 1
rules:
  - id: run-of-a
    severity: error
    summary: X-Run is a run of at most 256 a's
    message: "{status} {method}: {detail}"
    when:
      headers: {X-Run: true}
    require:
      headers: {X-Run: "$2"}
Y
}
rule_file rules-explosive.yaml "$explosive"
measured rules-explosive 2 --rules rules-explosive.yaml plain.yaml
must rules-explosive "rules-explosive\\.yaml:10:24: invalid regular expression '\\^\\(\\(a\\?a\\?a\\?a\\?\\)\\{1,25\\}\\)\\{1,25\\}\\$': pattern too costly"
no_requests rules-explosive

# --- the same shape within the bound: matched, linear, right ---------------
# two_endpoints FILE HEADER NAME PATH PATTERN NAME PATH PATTERN: a spec of
# two endpoints, each expecting HEADER to match its PATTERN.
two_endpoints() {
  printf 'version: 1\nbase_url: %s\nendpoints:\n' "$FIXTURE_URL" >"$1"
  printf '  - name: %s\n    path: %s\n    expect: {headers: {%s: "%s"}}\n' \
    "$3" "$4" "$2" "$5" "$6" "$7" "$2" "$8" >>"$1"
}
# one_finding NAME RULE-ID: exactly one finding of RULE-ID in NAME.out.
one_finding() {
  [ "$(grep -c "\\[$2\\]" "$1.out")" = 1 ] ||
    { cat "$1.out"; fail "$1: exactly one [$2] finding wanted"; }
}
two_endpoints spec-fits.yaml X-Run a256 /a256 "$fits" a257 /a257 "$fits"
measured spec-fits 1 spec-fits.yaml
one_finding spec-fits expectation
must spec-fits "^spec-fits\\.yaml:7:5: error: a257: header X-Run 'a+\\.\\.\\.' does not match \\^\\(\\(a\\?a\\?a\\?a\\?\\)\\{1,8\\}\\)\\{1,8\\}\\$ \\[expectation\\]"

rule_file rules-fits.yaml "$fits"
measured rules-fits 1 --rules rules-fits.yaml plain.yaml
one_finding rules-fits run-of-a
must rules-fits "^plain\\.yaml:6:5: error: a257: 200 GET: X-Run 'a{257}' does not match .* \\[run-of-a\\]"

# --- an ordinary pattern: matches and mismatches as before -----------------
two_endpoints spec-plain.yaml Content-Type matches /text '^text/(plain|html)(;.*)?$' \
  mismatches /text '^application/([a-z.+-]+\\+)?json'
measured spec-plain 1 spec-plain.yaml
must spec-plain "^spec-plain\\.yaml:7:5: error: mismatches: header Content-Type 'text/plain' does not match \\^application/\\(\\[a-z\\.\\+-\\]\\+\\\\\\+\\)\\?json \\[expectation\\]"
one_finding spec-plain expectation
echo "ok"
