#!/usr/bin/env bash
# The live progress line (issue 10 item 2) under a real pseudo-terminal
# (util-linux `script`): "[done/total] findings by severity, elapsed, time
# left", redrawn in place (\r ... ESC[K) and cleared at the end; and never
# when stderr is a file, with -q, with TERM=dumb, or in any report file.
# Findings stream (item 1): the first endpoint's line is on the terminal
# while later requests are still being answered.
# Usage: progress.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
apilint=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$here/lib/run.bash"
require script jq

cat > "$tmp/replies" <<'R'
=== GET /slow delay=200
HTTP/1.1 200 OK
Content-Type: application/json
Content-Length: auto

{"ok": true}
R
start_server "$tmp/replies"
slow_spec "$tmp/spec.yaml" 8
cd "$tmp"
esc=$(printf '\033')
cr=$(printf '\r')

# 1. On a terminal: the line is drawn, redrawn, and erased at the end.
TERM=xterm script -qfec "$apilint -j 2 --json r.json --junit r.xml spec.yaml" pty.log >/dev/null ||
  fail "apilint under script failed"
grep -aq "${cr}\[0/8\] 0 errors, 0 warnings, 0 infos  " pty.log || fail "no progress line at the start"
grep -aEq "${cr}\[[2-7]/8\] 0 errors, 0 warnings, 0 infos  [0-9.]+ s  about [0-9.]+ s left${esc}\[K" pty.log ||
  fail "no redrawn progress line with an estimate: $(cat -v pty.log)"
# After the last drawing of the line it is erased (\r ESC[K), and the
# summary comes after that, on a clean line.
rest=$(tr -d '\n' < pty.log | sed 's/.*\[[0-9]*\/8\]//')
printf '%s' "$rest" | grep -aq "${cr}${esc}\[K.*8 endpoints, 0 errors, 0 warnings, 0 infos" ||
  fail "the progress line was not erased at the end: $(printf '%s' "$rest" | cat -v)"
for f in r.json r.xml; do
  ! grep -aq "$esc\|$cr" "$f" || fail "$f holds terminal control bytes"
done
jq -e '.summary.endpoints == 8' r.json >/dev/null || fail "r.json incomplete"

# 2. Findings stream: e0's line reaches the terminal before the last
# request was even sent (4 rounds of 200 ms; e0 is done after the first).
: > "$tmp/server.log"
TERM=xterm script -qfec "$apilint -j 2 spec.yaml" pty2.log >/dev/null &
spid=$!
for _ in $(seq 400); do
  grep -aq 'e0 (GET /slow) -> 200 OK' pty2.log 2>/dev/null && break
  sleep 0.02
done
seen_at=$(requests)
wait_exit "$spid" 30
[ "$seen_at" -lt 8 ] || fail "e0 was shown only after all 8 requests were sent (not streamed)"

# 3. Never into a file, never with -q, never with TERM=dumb.
"$apilint" -j 2 spec.yaml >out.txt 2>err.txt || fail "plain run failed"
[ ! -s err.txt ] || fail "stderr in a file got: $(cat -v err.txt)"
! grep -aq "$cr\|$esc" out.txt || fail "stdout in a file got control bytes"
TERM=xterm script -qfec "$apilint -q -j 2 spec.yaml" q.log >/dev/null || true
! grep -aq '\[[0-9]*/8\]' q.log || fail "progress shown with -q"
TERM=dumb script -qfec "$apilint -j 2 spec.yaml" dumb.log >/dev/null || true
! grep -aq '\[[0-9]*/8\]' dumb.log || fail "progress shown with TERM=dumb"
echo "progress: drawn and cleared on a terminal; absent in files, with -q, with TERM=dumb; findings stream"
