#!/usr/bin/env bash
# reach/rate (issue 9 item 5): --rate N[/s|/m|/h] spaces the start of every
# request of the run (endpoints and probes, with --jobs 8), the spec's
# rate: too (the command line winning); the rate-limit probe's burst is the
# one exception and its report entry says so. The fixture server's request
# log (--log-times: milliseconds per request) shows the pace. Only lower
# bounds on the spacing are checked (a loaded machine makes requests late,
# never early), except for the burst, whose 12 requests must not take the
# 5.5 s a paced burst would.
#
#   rate.sh APILINT FIXTURE_SERVER
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=reach_lib.sh
. "$here/reach_lib.sh"
reach_begin rate "$1" "$2"
reach_need jq timeout awk
cp "$here"/rate/*.yaml "$work/"
fixture_start "$here/rate/replies" --log-times

# span FROM: ms between the first and last request logged from line FROM on.
span() {
  tail -n +"$1" "$FIX_LOG" | awk -F'\t' 'NR == 1 {a = $1} {b = $1}
    END {printf "%d\n", b - a}'
}
# min_gap FROM: the smallest gap between requests logged from line FROM on.
min_gap() {
  tail -n +"$1" "$FIX_LOG" | awk -F'\t' 'NR > 1 && (m == "" || $1 - p < m) {
    m = $1 - p} {p = $1} END {printf "%d\n", m}'
}
logged() { wc -l <"$FIX_LOG" | tr -d ' '; }
# paced TAG FROM COUNT MIN_SPAN_MS: COUNT requests from log line FROM,
# spread over at least MIN_SPAN_MS.
paced() {
  local n s
  n=$(($(logged) - $2 + 1))
  [ "$n" = "$3" ] || fail "$1: $n requests logged, expected $3"
  s=$(span "$2")
  [ "$s" -ge "$4" ] || fail "$1: $3 requests within $s ms, expected at least $4 ms"
  echo "$1: $3 requests over $s ms (at least $4 ms wanted; smallest gap $(min_gap "$2") ms)"
}

# 5/s: one start per 200 ms, so six take at least 1000 ms; allow 20% for
# a first request that met a slow connect while the rest did not.
from=$(($(logged) + 1))
run_apilint per-second --rate 5/s -j 8 spec.yaml
expect_exit per-second 0
paced per-second "$from" 6 800

# 120/m: one start per 500 ms.
from=$(($(logged) + 1))
run_apilint per-minute --rate 120/m -j 8 spec-three.yaml
expect_exit per-minute 0
paced per-minute "$from" 3 800

# 7200/h = 2/s.
from=$(($(logged) + 1))
run_apilint per-hour --rate 7200/h spec-three.yaml
expect_exit per-hour 0
paced per-hour "$from" 3 800

# Probes are paced with the rest: 3 GETs and 3 HEADs at 5/s.
from=$(($(logged) + 1))
run_apilint probes --rate 5/s -j 8 --probe head spec-three.yaml
paced probes "$from" 6 800

# The spec's rate:, and --rate over it.
from=$(($(logged) + 1))
SPEC_RATE=5/s run_apilint spec-rate spec-rate.yaml
expect_exit spec-rate 0
paced spec-rate "$from" 6 800
from=$(($(logged) + 1))
SPEC_RATE=1000/s run_apilint spec-rate-lost --rate 5/s spec-rate.yaml
expect_exit spec-rate-lost 0
paced spec-rate-lost "$from" 6 800

# The burst: the endpoint's request, then 12 at once (at 2/s a paced burst
# would take 5.5 s); the report says it was not paced.
from=$(($(logged) + 1))
run_apilint burst --rate 2/s -j 4 spec-burst.yaml
n=$(($(logged) - from + 1))
[ "$n" = 13 ] || fail "burst: $n requests logged, expected 13"
s=$(span $((from + 1)))
[ "$s" -lt 4000 ] || fail "burst: 12 burst requests took $s ms: paced by --rate?"
echo "burst: 12 requests over $s ms"
expect_jq burst '.endpoints[0].probes[0].statuses | test("not paced by --rate")'

# Bad values are usage errors.
run_apilint bad --rate 5/d spec.yaml
expect_exit bad 2
expect_grep "$work/bad.err" "--rate must be N, N/s, N/m or N/h"

reach_end "/s, /m, /h, probes, spec rate:, --rate wins, burst unpaced"
