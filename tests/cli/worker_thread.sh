#!/usr/bin/env bash
# Judging and reporting on a worker thread change no byte (issue 8). A run
# without probes judges and writes its reports on a second thread while the
# main thread goes on sending; APILINT_ONE_THREAD=1 keeps everything on the
# main thread, as before. Both runs of the same 1,300-endpoint spec against
# the fixture server (answers with findings of many rules, a secret header
# echoed back, a slow answer that holds the ring of 512 answers up, a reset
# connection) must give the same exit status and the same bytes in every
# report and on stdout, times aside; at -j 1 (every request starts with
# nothing in flight), -j 8, and -j 8 with every probe (300 endpoints:
# judged after the probe phase, reported by the worker as the main thread
# judges). That the worker really ran is checked too:
# while the slow answer is awaited, the process has its thread named
# apilint-report in one mode and not in the other, and not when stdout is
# a pipe.
# Usage: worker_thread.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
apilint=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
src=$3
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$here/lib/run.bash"

# The six leaking 5xx answers of an e2e case, and a few more kinds.
cp "$src/tests/e2e/real-world-leaks-fire/replies" "$tmp/replies"
cat >> "$tmp/replies" <<'R'
=== GET /ok
HTTP/1.1 200 OK
Content-Type: application/json
Content-Length: auto

{"ok": true}
=== GET /error-body
HTTP/1.1 200 OK
Content-Type: application/json
Content-Length: auto

{"error": "not found", "status": 404}
=== GET /no-challenge
HTTP/1.1 401 Unauthorized
Content-Type: application/json
Content-Length: auto

{"message": "login first"}
=== GET /echo echo
HTTP/1.1 500 Internal Server Error
Content-Type: text/plain
Server: Apache/2.4.1 (Unix)
X-Powered-By: PHP/5.4.0

request was:
=== GET /slow delay=1500
HTTP/1.1 200 OK
Content-Type: application/json
Content-Length: auto

{"ok": true}
=== GET /reset drop=1000000
HTTP/1.1 200 OK
Content-Length: 0
R
paths=(spring aspnet sqlalchemy mongo symfony node ok error-body no-challenge
  echo ok ok reset)
# make_spec COUNT: the spec of COUNT endpoints on stdout.
make_spec() {
  echo "version: 1"
  echo "base_url: \${FIXTURE_URL}"
  echo "defaults:"
  echo "  headers:"
  echo "    Authorization: Bearer worker-secret-77"
  echo "endpoints:"
  for i in $(seq 0 $(( $1 - 1 ))); do
    p=${paths[$(( i % ${#paths[@]} ))]}
    [ "$i" -eq 3 ] && p=slow
    echo "  - name: e$i $p"
    echo "    path: /$p"
    if [ $(( i % 7 )) -eq 0 ]; then echo "    expect: {status: 200}"; fi
  done
}
make_spec 1300 > "$tmp/spec.yaml"
make_spec 300 > "$tmp/spec-probes.yaml" # probes: five requests an endpoint
start_server "$tmp/replies"

# run MODE JOBS [ARGS...]: apilint, one thread or default, in $tmp/work (the
# same directory both times: SARIF names it); what it wrote goes to
# MODE-JOBS/ (MODE-JOBS-probes/ with more ARGS).
run() {
  local out="$tmp/$1-$2" rc=0 one=0
  [ "$1" = one ] && one=1
  local jobs=$2 spec=$tmp/spec.yaml
  shift 2
  [ $# -gt 0 ] && out="$out-probes" spec=$tmp/spec-probes.yaml
  mkdir -p "$out" "$tmp/work"
  (cd "$tmp/work" && APILINT_ONE_THREAD=$one "$apilint" -j "$jobs" "$@" \
     --json r.json --junit r.xml --sarif r.sarif --html r.html "$spec" \
     >stdout 2>stderr) || rc=$?
  mv "$tmp/work"/* "$out/"
  echo "$rc" > "$out/rc"
}

# Times, durations and the HTML page's random CSP nonce are the only bytes
# allowed to differ.
mask() {
  sed -E -e 's/"(elapsed_ms|duration_ms|started|finished|timestamp|time_ms)":[[:space:]]*[0-9.eE+"TZ:-]+/"\1":T/g' \
    -e 's/(time|timestamp)="[^"]*"/\1="T"/g' \
    -e 's/[0-9]+(\.[0-9]+)? ?(ms|s)\b/T/g' \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z?/T/g' -e 's/nonce(="|-)[0-9a-f]+/nonce=N/g' "$1"
}

# With probes, the endpoints are judged on the main thread after the probe
# phase while a worker writes the reports ("8-probes").
for jobs in 8 1 8-probes; do
  if [ "$jobs" = 8-probes ]; then
    run one 8 --probe all
    run two 8 --probe all
  else
    run one "$jobs"
    run two "$jobs"
  fi
  a="$tmp/one-$jobs" b="$tmp/two-$jobs"
  [ "$(cat "$a/rc")" = 1 ] || fail "-j $jobs one thread: exit $(cat "$a/rc"), want 1 (findings)"
  [ "$(cat "$b/rc")" = "$(cat "$a/rc")" ] ||
    fail "-j $jobs: exit $(cat "$b/rc") with the worker, $(cat "$a/rc") without"
  for f in r.json r.xml r.sarif r.html stdout; do
    [ -s "$a/$f" ] || fail "-j $jobs: $f is empty"
    if ! diff <(mask "$a/$f") <(mask "$b/$f") > "$tmp/diff"; then
      head -20 "$tmp/diff"
      fail "-j $jobs: $f differs between one thread and the worker"
    fi
  done
  # The run was real: every endpoint reported, findings of several rules,
  # the secret never printed.
  want=1300
  [ "$jobs" = 8-probes ] && want=300
  n=$(jq '.endpoints | length' "$b/r.json")
  [ "$n" = "$want" ] || fail "-j $jobs: $n endpoints in the JSON report, want $want"
  rules=$(jq '[.endpoints[].findings[].rule] | unique | length' "$b/r.json")
  [ "$rules" -ge 4 ] || fail "-j $jobs: findings of only $rules rules"
  if grep -rl "worker-secret-77" "$b" "$a"; then
    fail "-j $jobs: the secret was printed"
  fi
done

# report_thread MODE: 1 when the process has its "apilint-report" thread
# while the slow answer (endpoint 3) is awaited, else 0.
report_thread() {
  : > "$tmp/server.log"
  local one=0
  [ "$1" = one ] && one=1
  APILINT_ONE_THREAD=$one "$apilint" -q -j 8 "$tmp/spec.yaml" >/dev/null 2>&1 &
  local pid=$!
  wait_requests 100
  if grep -qx apilint-report /proc/"$pid"/task/*/comm 2>/dev/null; then
    echo 1
  else
    echo 0
  fi
  wait_exit "$pid" 60
}
with=$(report_thread two)
without=$(report_thread one)
[ "$with" = 1 ] || fail "no apilint-report thread ran in the default mode"
[ "$without" = 0 ] || fail "an apilint-report thread ran with APILINT_ONE_THREAD=1"
# Writes that can block (stdout a pipe here) keep it all on one thread: a
# worker blocked on a reader that stopped reading would hold up Ctrl-C.
: > "$tmp/server.log"
"$apilint" -q -j 8 "$tmp/spec.yaml" 2>/dev/null | cat >/dev/null &
piped=$! # the pipeline's last process: it ends when apilint does
wait_requests 100
pid=$(pgrep -n -f "^$apilint -q -j 8 $tmp/spec.yaml" || true)
[ -n "$pid" ] || fail "the piped run is not running"
if grep -qx apilint-report /proc/"$pid"/task/*/comm 2>/dev/null; then
  fail "a worker thread ran with stdout a pipe"
fi
wait_exit "$piped" 60

echo "ok: every report and stdout identical with and without the worker" \
  "(-j 8 and -j 1); the worker thread ran only in the default mode," \
  "not with stdout a pipe"
