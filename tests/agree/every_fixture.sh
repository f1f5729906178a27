#!/usr/bin/env bash
# agree/every-fixture: runs every probe (--probe all and rate-limit) against
# the fixture of every e2e case in tests/e2e/ (its replies file, env and
# args; the cases whose expected exit status is 2 send nothing and are left
# out) and asserts, with probes_agree.jq, that no probe finding contradicts
# the endpoint's own answer (issue 13: a probe judges only what the probe
# caused). Prints each contradiction with its case; exits 1 if there is
# any, or if a run did not write its JSON report.
#
#   every_fixture.sh APILINT FIXTURE_SERVER [K/N]
#
# K/N (1/2, 2/2) runs only every N-th case starting at the K-th, so CTest
# can run the shards side by side.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
e2e=$(cd "$here/../e2e" && pwd)
apilint=${1:?usage: every_fixture.sh APILINT FIXTURE_SERVER}
server=${2:?usage: every_fixture.sh APILINT FIXTURE_SERVER}
shard=${3:-1/1}
shard_k=${shard%/*}
shard_n=${shard#*/}
# Absolute, since each run starts in its case's directory.
apilint=$(realpath "$apilint") && server=$(realpath "$server") || exit 1
command -v jq >/dev/null || {
  echo "jq is needed" >&2
  exit 1
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apilint-agree.XXXXXX") || exit 1
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
  fi
}
cleanup() {
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT

# The probe rules, from the binary itself: the ones `apilint rules` marks.
probe_rules=$("$apilint" rules | awk '/\[probe: /{print $1}' |
  jq -R . | jq -sc .) || exit 1
[ "$probe_rules" != "[]" ] || {
  echo "FAIL: apilint rules lists no probe rule" >&2
  exit 1
}

# Starts the fixture server on the case's replies; sets FIXTURE_URL/PORT.
start_server() { # CASE_DIR
  local replies=$1/replies tries=0
  [ -e "$replies" ] || {
    : >"$tmp/empty.replies"
    replies=$tmp/empty.replies
  }
  rm -f "$tmp/port"
  "$server" --replies "$replies" --port-file "$tmp/port" \
    --log "$tmp/server.log" --max-seconds 120 >"$tmp/server.out" 2>&1 &
  server_pid=$!
  while [ ! -s "$tmp/port" ]; do
    tries=$((tries + 1))
    if ! kill -0 "$server_pid" 2>/dev/null || [ "$tries" -gt 200 ]; then
      echo "FAIL: fixture server did not listen for $1" >&2
      cat "$tmp/server.out" >&2
      return 1
    fi
    sleep 0.05
  done
  read -r FIXTURE_PORT <"$tmp/port"
  FIXTURE_URL=http://127.0.0.1:$FIXTURE_PORT
  export FIXTURE_URL FIXTURE_PORT
}

fail=0
runs=0
findings=0
index=0
for dir in "$e2e"/*/; do
  dir=${dir%/}
  name=${dir##*/}
  [ -f "$dir/spec.yaml" ] || continue
  index=$((index + 1))
  [ $(((index - shard_k) % shard_n)) -eq 0 ] || continue
  if [ -f "$dir/expected.exit" ] &&
    [ "$(grep -v '^#' "$dir/expected.exit" | tr -d '[:space:]')" = 2 ]; then
    continue
  fi
  start_server "$dir" || {
    fail=1
    continue
  }
  args=()
  if [ -f "$dir/args" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in '' | '#'*) continue ;; esac
      line=${line//'${FIXTURE_URL}'/$FIXTURE_URL}
      line=${line//'${FIXTURE_PORT}'/$FIXTURE_PORT}
      line=${line//'${CASE_DIR}'/$dir}
      line=${line//'${TMP}'/$tmp}
      args+=("$line")
    done <"$dir/args"
  fi
  t0=$(date +%s%N)
  rm -f "$tmp/out.json"
  (
    if [ -f "$dir/env" ]; then
      set -a
      # shellcheck disable=SC1091
      . "$dir/env"
      set +a
    fi
    cd "$dir" && NO_COLOR=1 timeout -k 5 100 "$apilint" \
      ${args[@]+"${args[@]}"} --probe all --probe rate-limit --burst 3 \
      --timeout 3 --json "$tmp/out.json" spec.yaml
  ) >"$tmp/stdout" 2>"$tmp/stderr"
  status=$?
  [ -n "${AGREE_TIMES:-}" ] && echo "$name $((($(date +%s%N) - t0) / 1000000)) ms" >&2
  stop_server
  runs=$((runs + 1))
  if [ "$status" -ge 2 ] && [ "$status" -ne 3 ] || [ ! -s "$tmp/out.json" ]; then
    echo "FAIL [$name]: apilint exited $status without a report:" >&2
    cat "$tmp/stderr" >&2
    fail=1
    continue
  fi
  findings=$((findings + $(jq '[.endpoints[].probes[]?.findings[]?] | length' \
    "$tmp/out.json")))
  bad=$(jq -r --argjson probe_rules "$probe_rules" -f "$here/probes_agree.jq" \
    "$tmp/out.json") || {
    echo "FAIL [$name]: jq could not read the report" >&2
    fail=1
    continue
  }
  if [ -n "$bad" ]; then
    echo "FAIL [$name]: a probe finding contradicts the endpoint's own answer:" >&2
    printf '%s\n' "$bad" >&2
    fail=1
  fi
done
[ "$runs" -gt 0 ] || {
  echo "FAIL: no e2e case was run" >&2
  exit 1
}
[ "$fail" -eq 0 ] || exit 1
echo "agree/every-fixture $shard: ok ($runs cases, every probe, $findings probe findings, none contradicts the endpoint's own answer)"
