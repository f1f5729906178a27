#!/usr/bin/env bash
# Benchmark: wall time for apilint to lint N endpoints (default 200) served by
# the fixture server on 127.0.0.1, at --jobs 1 and --jobs 16 (and any -j you
# pass). Prints figures; asserts nothing. Each endpoint answers after
# DELAY_MS (default 5) so the effect of parallelism is visible, as against a
# real API. APILINT_ARGS adds options, e.g. APILINT_ARGS='--probe all' to
# measure the probes' extra requests (every request answers after DELAY_MS).
#   bash bench/endpoints.sh [BUILD_DIR] [N] [DELAY_MS] [RUNS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
n=${2:-200}
delay=${3:-5}
runs=${4:-5}
apilint=$build/apilint
server=$build/tests/fixture_server
[ -x "$apilint" ] && [ -x "$server" ] || { echo "build first: cmake --build $build" >&2; exit 1; }

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

{
  echo 'version: 1'
  echo 'base_url: ${BENCH_URL}'
  echo 'endpoints:'
  for i in $(seq 1 "$n"); do
    printf '  - name: item %d\n    path: /items/%d\n' "$i" "$i"
  done
} > "$tmp/spec.yaml"
for i in $(seq 1 "$n"); do
  printf '=== * /items/%d delay=%d\nHTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: auto\n\n{"id": %d}\n' "$i" "$delay" "$i"
done > "$tmp/replies"

"$server" --replies "$tmp/replies" --port-file "$tmp/port" --max-seconds 600 &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
export BENCH_URL="http://127.0.0.1:$(cat "$tmp/port")"

now_ms() { date +%s%3N; }
echo "endpoints=$n server_delay_ms=$delay runs=$runs args=${APILINT_ARGS:-}"
for jobs in 1 16; do
  best=""
  total=0
  for _ in $(seq 1 "$runs"); do
    t0=$(now_ms)
    # shellcheck disable=SC2086 # APILINT_ARGS is a list of words
    "$apilint" -q -j "$jobs" ${APILINT_ARGS:-} "$tmp/spec.yaml" >/dev/null || true
    t=$(( $(now_ms) - t0 ))
    total=$((total + t))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "jobs=$jobs best_ms=$best mean_ms=$((total / runs))"
done
