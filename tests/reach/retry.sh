#!/usr/bin/env bash
# reach/retry (issue 9 item 6): --retry N and --retry-delay S retry transport
# failures before any answer - a reset connection (the fixture server's
# drop=1), a refused one, a timeout with no answer - and never an answer: a
# 503 is asked exactly once, as the server's request log proves. Each
# attempt is in -v and in the JSON report's "attempts"; without
# --retry-delay the waits are 1 s, 2 s (curl's backoff); the spec's retry:
# works and the command line wins.
#
#   retry.sh APILINT FIXTURE_SERVER
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=reach_lib.sh
. "$here/reach_lib.sh"
reach_begin retry "$1" "$2"
reach_need jq timeout
cp "$here"/retry/*.yaml "$work/"
fixture_start "$here/retry/replies"

# asked PATH N: the server's log has exactly N requests for PATH.
asked() {
  local n
  n=$(grep -c -P "^GET\t\Q$1\E\t" "$FIX_LOG")
  [ "$n" = "$2" ] || fail "$1 was asked $n times, expected $2"
}

# No retry: the reset is a transport error.
FLAKY=/flaky-a run_apilint none spec.yaml
expect_exit none 3
expect_jq none '.endpoints[0].attempts | length == 1'
asked /flaky-a 1

# --retry 2: the second attempt gets the answer.
FLAKY=/flaky-b run_apilint retried -v --retry 2 --retry-delay 0.1 spec.yaml
expect_exit retried 0
expect_jq retried '.endpoints[0].status == 200 and .endpoints[0].transport_error == null'
expect_jq retried '.endpoints[0].attempts | length == 2'
expect_jq retried '.endpoints[0].attempts[0].transport_error | test("^\\((52|55|56)\\)")'
expect_jq retried '.endpoints[0].attempts[0].retry_after_ms == 100'
expect_jq retried '.endpoints[0].attempts[1].transport_error == null'
expect_grep "$work/retried.out" '^\* attempt 1: \((52|55|56)\) .*; retrying in 100 ms \(attempt 2\)'
asked /flaky-b 2

# A 503 is an answer: asked exactly once, whatever --retry says.
run_apilint busy --retry 3 --retry-delay 0.05 spec-busy.yaml
expect_jq busy '.endpoints[0].status == 503 and (.endpoints[0].attempts | length) == 1'
asked /busy 1

# A timeout before any answer is retried (two requests reach the server).
run_apilint silent --retry 1 --retry-delay 0.05 spec-silent.yaml
expect_exit silent 3
expect_jq silent '[.endpoints[0].attempts[].transport_error | test("^\\(28\\)")] == [true, true]'
asked /silent 2

# Refused, with the default backoff: waits of 1 s and then 2 s.
start=$(date +%s%N)
run_apilint refused --retry 2 spec-refused.yaml
took=$((($(date +%s%N) - start) / 1000000))
expect_exit refused 3
expect_jq refused '[.endpoints[0].attempts[].transport_error | test("^\\(7\\)")] == [true, true, true]'
expect_jq refused '[.endpoints[0].attempts[].retry_after_ms] == [1000, 2000, null]'
[ "$took" -ge 2900 ] || fail "refused: 3 attempts with 1 s + 2 s of backoff took only $took ms"

# The spec's retry:, then the command line over it.
FLAKY=/flaky-c run_apilint spec-retry spec-retry.yaml
expect_exit spec-retry 0
expect_jq spec-retry '.endpoints[0].attempts | length == 2'
asked /flaky-c 2
FLAKY=/flaky-d run_apilint spec-retry-lost --retry 0 spec-retry.yaml
expect_exit spec-retry-lost 3
asked /flaky-d 1

run_apilint bad --retry many spec.yaml
expect_exit bad 2

reach_end "reset, 503 once, timeout, refused with backoff, spec retry:, --retry wins"
