# Shared by the tests/cli scripts that run apilint against the fixture
# server (sourced, not a test itself: only tests/cli/*.sh are). Needs
# $APILINT_FIXTURE_SERVER (set by CTest) and a temporary directory in $tmp.

fail() { echo "FAIL: $*"; exit 1; }

# require TOOL...: skip (77) when one is missing, fail under CI.
require() {
  for t in "$@"; do
    command -v "$t" >/dev/null && continue
    [ -n "${CI:-}" ] && fail "$t is required under CI"
    echo "skip: $t not installed"
    exit 77
  done
}

# start_server REPLIES: starts the fixture server logging to $tmp/server.log,
# waits (at most 10 s) for its port, sets FIXTURE_URL and server_pid.
start_server() {
  : > "$tmp/server.log"
  "$APILINT_FIXTURE_SERVER" --replies "$1" --port-file "$tmp/port" \
    --log "$tmp/server.log" --max-seconds 120 >"$tmp/server.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 200); do
    [ -s "$tmp/port" ] && break
    sleep 0.05
  done
  [ -s "$tmp/port" ] || fail "fixture server did not start"
  FIXTURE_URL="http://127.0.0.1:$(cat "$tmp/port")"
  export FIXTURE_URL
}

stop_server() {
  if [ -n "${server_pid:-}" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}

# requests: how many requests the server has logged.
requests() { wc -l < "$tmp/server.log" | tr -d ' '; }

# wait_requests N [SECONDS]: until the server logged N requests (bounded).
wait_requests() {
  local limit=$(( ${2:-30} * 20 ))
  for _ in $(seq "$limit"); do
    [ "$(requests)" -ge "$1" ] && return 0
    sleep 0.05
  done
  fail "the server did not get $1 requests in ${2:-30} s (got $(requests))"
}

# wait_exit PID [SECONDS]: waits for PID (bounded); sets rc. Kills it with
# SIGKILL when it does not end in time, and fails.
wait_exit() {
  local limit=$(( ${2:-30} * 20 ))
  for _ in $(seq "$limit"); do
    if ! kill -0 "$1" 2>/dev/null; then
      rc=0
      wait "$1" || rc=$?
      return 0
    fi
    sleep 0.05
  done
  kill -9 "$1" 2>/dev/null || true
  fail "apilint (pid $1) did not exit within ${2:-30} s"
}

# no_temp_files DIR: no report temporary (NAME.XXXXXX) is left in DIR.
no_temp_files() {
  local left
  left=$(ls -A "$1" | grep -E '\.(json|xml|txt)\.[A-Za-z0-9]{6}$' || true)
  [ -z "$left" ] || fail "temporary report files left in $1: $left"
}

# slow_spec FILE N: a spec of N endpoints "e0".."eN-1" on GET /slow.
slow_spec() {
  {
    echo "version: 1"
    echo "base_url: \${FIXTURE_URL}"
    echo "endpoints:"
    for i in $(seq 0 $(( $2 - 1 ))); do
      echo "  - name: e$i"
      echo "    path: /slow"
    done
  } > "$1"
}
