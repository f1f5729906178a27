#!/usr/bin/env bash
# Benchmark (issue 11): wall time of `apilint import` of GitHub's full REST
# description (npm @octokit/openapi, pinned in .ci/packages-npm.txt; its
# generated/api.github.com.json, about 13 MB and 1,200 operations), of
# --dry-run of that document as a spec, and of `apilint har` on a
# 5,000-entry HAR (tests/import/make_har.py). Targets: import under 2 s,
# the HAR under 1 s. Prints the median of RUNS and the target; exits 1 when
# a median misses its target. Never part of the test suite.
#   bash bench/import.sh [BUILD_DIR] [RUNS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
runs=${2:-5}
apilint=$build/apilint
doc=$top/build-tools/node_modules/@octokit/openapi/generated/api.github.com.json
[ -x "$apilint" ] || { echo "build first: cmake --build $build" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: time)" >&2; exit 1; }
[ -f "$doc" ] || { echo "install the npm tools first: bash .ci/install-deps" >&2; exit 1; }
py=$(command -v python3 || echo /usr/bin/python3)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" "$top/tests/import/make_har.py" many 5000 "$tmp/5000.har"

# measure CMD...: "WALL_MS CPU_MS", the medians of RUNS runs (CPU = user +
# system). On a loaded machine the wall time is the CPU time plus waiting
# for a core, so both are shown; the target is judged on the wall time.
measure() {
  local i walls=() cpus=() w u s
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" >/dev/null 2>&1 || true
    read -r w u s < <(tail -n 1 "$tmp/time") # after "Command exited with..."
    walls+=("$(awk -v x="$w" 'BEGIN{printf "%d", x * 1000}')")
    cpus+=("$(awk -v x="$u" -v y="$s" 'BEGIN{printf "%d", (x + y) * 1000}')")
  done
  local mid=$(((runs + 1) / 2))
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p")" \
    "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")"
}

miss=0
report() { # NAME TARGET_MS CMD...
  local name=$1 target=$2 wall cpu verdict=ok
  shift 2
  read -r wall cpu < <(measure "$@")
  [ "$wall" -le "$target" ] || { verdict=MISSED; miss=1; }
  printf '%-44s %6d ms wall %6d ms cpu  (target %d ms) %s\n' "$name" \
    "$wall" "$cpu" "$target" "$verdict"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, median of $runs"
ops=$("$apilint" import "$doc" | grep -c '^  - name: ')
report "import api.github.com.json ($ops operations)" 2000 \
  "$apilint" import "$doc" -o "$tmp/gh.yaml"
report "the document as a spec, --dry-run" 2000 "$apilint" "$doc" --dry-run
report "har, 5000 entries ($(($(wc -c <"$tmp/5000.har") / 1024)) KiB)" 1000 \
  "$apilint" har "$tmp/5000.har"
report "har, 5000 entries, --json report" 1000 \
  "$apilint" har "$tmp/5000.har" --json "$tmp/out.json"
exit $miss
