#!/usr/bin/env bash
# The long fuzz mode (tests/fuzz/README.md "Long mode"): builds the libFuzzer
# targets with clang, ASan and UBSan in BUILD (default build-fuzz), then runs
# each target for SECONDS under `nice`, one at a time, from its checked-in
# seeds plus a scratch corpus, and prints one line per target: seconds run,
# executions, corpus size, and what it found. Not part of ctest or .ci/run.
#
# Usage: tests/fuzz/run-long.sh SECONDS [TARGET...]   (SECONDS >= 1)
#   BUILD=dir    the fuzz build tree (configured here when absent)
#   JOBS=n       build parallelism (default 2)
# Everything it writes is under BUILD/fuzz-long/:
#   work/TARGET/       the scratch corpus (new inputs; kept between runs)
#   art/TARGET/        crash-*, leak-*, timeout-*, oom-* inputs: findings
#   TARGET.log         libFuzzer's output
#   summary.txt        the table printed at the end
# Exit status: 0 when no target found anything, 1 otherwise, 2 on misuse.
set -euo pipefail
usage() { echo "usage: $0 SECONDS [TARGET...] (SECONDS: a whole number, at least 1)" >&2; exit 2; }
[ $# -ge 1 ] || usage
seconds=$1
shift
case $seconds in '' | *[!0-9]*) usage ;; esac
# 0 (or 00) is libFuzzer's -max_total_time=0: no limit, a run that never
# ends. 10#: "08" is decimal, not a bad octal number.
[ $((10#$seconds)) -ge 1 ] || usage
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build-fuzz}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_spec fuzz_rules fuzz_response fuzz_probe_plan)
command -v clang >/dev/null || { echo "clang is needed (apt-get install clang)" >&2; exit 2; }

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Debug \
    -DAPILINT_FUZZ=ON -DAPILINT_SANITIZE=address,undefined \
    -DCMAKE_C_FLAGS="-O1 -g" >/dev/null
fi
nice cmake --build "$build" -j"${JOBS:-2}" --target "${targets[@]}" >/dev/null

out=$build/fuzz-long
mkdir -p "$out"
summary=$out/summary.txt
printf '%-16s %8s %12s %8s  %s\n' target seconds executions corpus found >"$summary"
found_any=0
for t in "${targets[@]}"; do
  mkdir -p "$out/work/$t" "$out/art/$t"
  before=$(ls -A "$out/art/$t" | wc -l)
  start=$(date +%s)
  rc=0
  # -timeout=2: an input slower than 2 s is a hang; -rss_limit_mb: one
  # input that needs more than 2 GB is a finding, not a machine brought down.
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    nice -n 15 "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=2 \
    -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$out/art/$t/" "$out/work/$t" "$top/tests/fuzz/corpus/$t" \
    >"$out/$t.log" 2>&1 || rc=$?
  ran=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -1)
  corpus=$(ls -A "$out/work/$t" | wc -l)
  new=$(($(ls -A "$out/art/$t" | wc -l) - before))
  found=nothing
  if [ "$rc" != 0 ] || [ "$new" -gt 0 ]; then
    found="exit $rc, $new new in art/$t/: $(ls -At "$out/art/$t" | head -n "$((new > 0 ? new : 1))" | tr '\n' ' ')"
    found_any=1
  fi
  printf '%-16s %8s %12s %8s  %s\n' "$t" "$ran" "${execs:-?}" "$corpus" "$found" >>"$summary"
done
cat "$summary"
exit "$found_any"
