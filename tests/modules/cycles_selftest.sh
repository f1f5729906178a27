#!/usr/bin/env bash
# cycles_selftest.sh CYCLES_SH FIXTURE.a - cycles.sh must fail (exit 1) on
# a library with a known cycle (tests/modules/fixture: cycle_a <-> cycle_b)
# and name both objects, so modules/no-cycles passing means something.
set -uo pipefail
out=$(bash "$1" "$2")
rc=$?
echo "$out"
if [ "$rc" -eq 77 ]; then
  exit 77
fi
if [ "$rc" -ne 1 ]; then
  echo "FAIL: cycles.sh exited $rc on a library with a cycle (want 1)"
  exit 1
fi
if ! grep -qE '^cycle: \{cycle_(a|b), cycle_(a|b)\}$' <<<"$out"; then
  echo "FAIL: cycles.sh did not name the cycle {cycle_a, cycle_b}"
  exit 1
fi
echo "ok: the cycle was found"
