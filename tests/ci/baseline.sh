#!/usr/bin/env bash
# Baselines (issue 12 item 3) against the fixture server over real sockets:
# --write-baseline records the findings; on a server at another port the
# fingerprints are the same and --baseline makes the same findings pass
# (shown as suppressed in text, JSON and SARIF); a new finding fails; a
# fixed one is listed as no longer occurring; an expired entry fails again
# and says so; rewriting keeps reasons and expiry dates and prunes what no
# longer occurs; a broken baseline is exit 2 with file:line:col and nothing
# sent.
# Usage: baseline.sh APILINT (APILINT_FIXTURE_SERVER in the environment)
set -euo pipefail
apilint=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$here/../cli/lib/run.bash"
require jq

cat > "$tmp/replies" <<'R'
=== GET /boom
HTTP/1.1 500 Internal Server Error
Content-Type: text/plain
Content-Length: auto

Internal Server Error
=== GET /users/7
HTTP/1.1 401 Unauthorized
Content-Length: 0

=== GET /ok
HTTP/1.1 200 OK
Content-Type: application/json
Content-Length: auto

{"ok": true}
=== GET /new
HTTP/1.1 405 Method Not Allowed
Content-Length: 0

R
# The fixed API: /boom answers 200.
sed '/^=== GET \/boom/,/^Internal Server Error$/c\
=== GET /boom\
HTTP/1.1 200 OK\
Content-Type: application/json\
Content-Length: auto\
\
{"fixed": true}' "$tmp/replies" > "$tmp/replies.fixed"
grep -q fixed "$tmp/replies.fixed" || fail "could not make the fixed replies"

cat > "$tmp/spec.yaml" <<'S'
version: 1
base_url: ${FIXTURE_URL}
endpoints:
  - name: boom
    path: /boom
  - name: get user
    path: /users/${USER_ID:-7}
    probes: [head]
  - name: fine
    path: /ok
S
cd "$tmp"

# run NAME ARGS...: apilint with its stdout in NAME.out, stderr in NAME.err;
# sets rc.
run() {
  local name=$1
  shift
  rc=0
  "$apilint" "$@" >"$name.out" 2>"$name.err" || rc=$?
}

fingerprints() { jq -c '[.endpoints[] | (.findings[], .probes[].findings[]) | [.rule, .fingerprint]]' "$1"; }

# 1. Record: the findings fail as usual; the file lists one entry each.
start_server replies
port1=$FIXTURE_URL
run record spec.yaml --write-baseline base.yaml --json first.json
[ "$rc" = 1 ] || fail "recording: exit $rc: $(cat record.err)"
[ "$(grep -c '^  - fingerprint: ' base.yaml)" = 3 ] || fail "expected 3 entries: $(cat base.yaml)"
grep -q '^    path: "/users/${USER_ID}"$' base.yaml || fail "no path template in the baseline: $(cat base.yaml)"
grep -q '^    probe: "head"$' base.yaml || fail "no probe entry in the baseline"
for fp in $(jq -r '.endpoints[] | (.findings[], .probes[].findings[]) | .fingerprint' first.json); do
  grep -q "fingerprint: \"$fp\"" base.yaml || fail "fingerprint $fp of the JSON report is not in the baseline"
done

# 2. The same API at another port (the second server starts while the
# first still holds its port), another USER_ID default: the same
# fingerprints, and every finding suppressed: exit 0.
first_pid=$server_pid
rm -f port
start_server replies
kill "$first_pid"
wait "$first_pid" 2>/dev/null || true
[ "$FIXTURE_URL" != "$port1" ] || fail "the second server has the first one's port"
sed -i 's/USER_ID:-7/USER_ID:-8/' spec.yaml
export USER_ID=7
run same spec.yaml --baseline base.yaml --json same.json --sarif same.sarif
[ "$rc" = 0 ] || fail "same findings with the baseline: exit $rc: $(cat same.out same.err)"
[ "$(fingerprints first.json)" = "$(fingerprints same.json)" ] ||
  fail "fingerprints changed with the port: $(fingerprints first.json) vs $(fingerprints same.json)"
[ "$(grep -c '(suppressed by the baseline)' same.out)" = 3 ] || fail "suppressed findings not shown: $(cat same.out)"
grep -q '3 endpoints, 2 errors, 1 warning, 0 infos, 1 probe request, 3 suppressed by the baseline' same.out ||
  fail "summary: $(tail -3 same.out)"
jq -e '.summary.failing == 0 and .summary.suppressed == 3 and .summary.baseline.suppressed == 3
       and .summary.baseline.no_longer_occurring == []
       and all(.endpoints[] | (.findings[], .probes[].findings[]); .suppressed)' same.json >/dev/null ||
  fail "JSON does not show the suppression: $(jq -c .summary same.json)"
jq -e '.runs[0].results | length == 3 and all(.[]; .baselineState == "unchanged"
       and .suppressions[0].kind == "external" and .suppressions[0].status == "accepted")' same.sarif >/dev/null ||
  fail "SARIF suppressions missing: $(jq -c '[.runs[0].results[] | {baselineState, suppressions}]' same.sarif)"

# 3. A new finding fails, and only it.
cat >> spec.yaml <<'S'
  - name: new one
    path: /new
S
run new spec.yaml --baseline base.yaml --json new.json --sarif new.sarif
[ "$rc" = 1 ] || fail "a new finding: exit $rc, expected 1: $(cat new.out)"
grep -q 'new one: 405 without Allow \[method-not-allowed-without-allow\]$' new.out ||
  fail "the new finding is not shown as failing: $(cat new.out)"
jq -e '.summary.failing == 1 and .summary.suppressed == 3' new.json >/dev/null || fail "new: $(jq -c .summary new.json)"
jq -e '[.runs[0].results[] | select(.baselineState == "new")] | length == 1
       and .[0].ruleId == "method-not-allowed-without-allow" and .[0].suppressions == []' new.sarif >/dev/null ||
  fail "SARIF does not mark the new result"
sed -i '/new one/,$d' spec.yaml
stop_server

# 4. A fixed finding is listed as no longer occurring; the run passes.
rm -f port  # a stale port file would be read before the new one is written
start_server replies.fixed
run fixed spec.yaml --baseline base.yaml --json fixed.json
[ "$rc" = 0 ] || fail "fixed: exit $rc: $(cat fixed.out)"
grep -q '^baseline: 1 entry no longer occurs' fixed.out || fail "the fixed finding is not reported: $(cat fixed.out)"
grep -Eq '^  base\.yaml:[0-9]+: server-error GET /boom \[[0-9a-f]{16}\]$' fixed.out || fail "the entry is not named: $(cat fixed.out)"
boom_fp=$(jq -r '.endpoints[0].findings[0].fingerprint' first.json)
jq -e --arg fp "$boom_fp" '.summary.baseline.no_longer_occurring | length == 1 and .[0].fingerprint == $fp
       and .[0].rule == "server-error"' fixed.json >/dev/null || fail "JSON: $(jq -c .summary.baseline fixed.json)"
stop_server

# 5. Reasons and expiry: an expired entry fails again and says so; one
# expiring in the future still suppresses.
rm -f port
start_server replies
user_fp=$(jq -r '.endpoints[1].findings[0].fingerprint' first.json)
head_fp=$(jq -r '.endpoints[1].probes[0].findings[0].fingerprint' first.json)
awk -v u="$user_fp" -v b="$boom_fp" '
  { print }
  $0 ~ "fingerprint: \"" u "\"" { print "    reason: \"ticket API-1, \\\"auth\\\" rework\""; print "    expires: 2020-01-31" }
  $0 ~ "fingerprint: \"" b "\"" { print "    reason: \"known: upstream bug\""; print "    expires: 2999-12-31" }
' base.yaml > base.new && mv base.new base.yaml
run expired spec.yaml --baseline base.yaml --json expired.json
[ "$rc" = 1 ] || fail "an expired entry: exit $rc, expected 1: $(cat expired.out)"
grep -q 'get user: 401 without WWW-Authenticate \[unauthorized-without-challenge\] (baseline entry expired on 2020-01-31: fails again)' expired.out ||
  fail "the expired entry does not say so: $(cat expired.out)"
grep -q '^baseline: entry expired on 2020-01-31, its findings fail again:' expired.out || fail "no expiry note: $(cat expired.out)"
grep -q 'boom: .*\[server-error\] (suppressed by the baseline: known: upstream bug)' expired.out ||
  fail "the entry expiring later does not suppress with its reason: $(cat expired.out)"
jq -e '.summary.failing == 1 and .summary.suppressed == 2 and .summary.baseline.expired_matches == 1
       and .endpoints[1].findings[0].baseline_expired == "2020-01-31"
       and .endpoints[0].findings[0].baseline_reason == "known: upstream bug"' expired.json >/dev/null ||
  fail "JSON expiry: $(jq -c .summary expired.json)"

# 6. Rewriting keeps reasons and dates and drops what no longer occurs:
# --baseline F --write-baseline F on the fixed API...
stop_server
rm -f port  # a stale port file would be read before the new one is written
start_server replies.fixed
run rewrite spec.yaml --baseline base.yaml --write-baseline base.yaml
[ "$rc" = 1 ] || fail "rewrite: exit $rc (the expired entry still fails): $(cat rewrite.err)"
grep -q "fingerprint: \"$boom_fp\"" base.yaml && fail "the fixed finding's entry was kept: $(cat base.yaml)"
grep -q '^    reason: "ticket API-1, \\"auth\\" rework"$' base.yaml || fail "the reason was lost: $(cat base.yaml)"
grep -q '^    expires: 2020-01-31$' base.yaml || fail "the expiry date was lost: $(cat base.yaml)"
[ "$(grep -c '^  - fingerprint: ' base.yaml)" = 2 ] || fail "expected 2 entries after the rewrite: $(cat base.yaml)"
# ... and --write-baseline over an existing file, without --baseline.
cp base.yaml before.yaml
run over spec.yaml --write-baseline base.yaml
[ "$rc" = 1 ] || fail "rewrite over the file: exit $rc: $(cat over.err)"
cmp -s before.yaml base.yaml || fail "rewriting over the file changed it: $(diff before.yaml base.yaml)"
stop_server

# 7. A broken baseline: exit 2, file:line:col, nothing sent.
rm -f port
start_server replies
printf 'version: 1\nfindings:\n  - fingerprint: "99f755e74d9107b8"\n    expires: 31.12.2027\n' > broken.yaml
run broken spec.yaml --baseline broken.yaml
[ "$rc" = 2 ] || fail "a broken baseline: exit $rc, expected 2"
grep -q "^apilint: error: broken.yaml:4:14: 'expires' must be a date written YYYY-MM-DD" broken.err ||
  fail "the error does not name file:line:col: $(cat broken.err)"
printf 'version: 1\nfindings:\n  - {fingerprint: "99f755e74d9107b8", rul: x}\n' > broken.yaml
run broken spec.yaml --write-baseline broken.yaml
[ "$rc" = 2 ] || fail "a broken file to replace: exit $rc, expected 2"
grep -q "broken.yaml:3:39: unknown key 'rul' (did you mean 'rule'?)" broken.err || fail "$(cat broken.err)"
[ "$(requests)" = 0 ] || fail "requests were sent with a broken baseline: $(cat server.log)"
grep -q 'rul: x' broken.yaml || fail "the broken file was replaced"

# 8. Shards (--shard I/N) cannot know which entries no longer occur; apilint
# merge --baseline applies the baseline to the whole run and can.
{ cat base.yaml; printf '  - fingerprint: "0123456789abcdef"\n    rule: gone\n'; } > merge.yaml
# Each shard: its own report, its exit status by its own failing findings
# (1 when any, else 0), and it says it did not judge.
for i in 1 2; do
  rm -f "s$i.json"
  run "shard$i" spec.yaml --shard "$i/2" --baseline merge.yaml --json "s$i.json"
  [ -s "s$i.json" ] || fail "shard $i/2 (exit $rc) wrote no report: $(cat "shard$i.err")"
  want=$(jq 'if .summary.failing > 0 then 1 else 0 end' "s$i.json")
  [ "$rc" = "$want" ] ||
    fail "shard $i/2 exits $rc, want $want ($(jq -c .summary "s$i.json")): $(cat "shard$i.err")"
  jq -e '.summary.baseline.no_longer_occurring == null' "s$i.json" >/dev/null ||
    fail "shard $i/2 judged which entries no longer occur: $(jq -c .summary.baseline "s$i.json")"
  grep -q 'not judged which entries no longer occur (one shard' "shard$i.out" ||
    fail "shard $i/2 does not say so: $(cat "shard$i.out")"
done
[ "$(jq -s 'map(.endpoints | length) | add' s1.json s2.json)" = 3 ] ||
  fail "the two shards do not hold the 3 endpoints: $(jq -c '[.endpoints[].name]' s1.json s2.json)"
run merged merge s1.json s2.json --baseline merge.yaml --json merged.json
[ "$rc" = 1 ] || fail "merge --baseline: exit $rc (the expired entry and /boom fail): $(cat merged.out merged.err)"
jq -e '.summary.baseline.no_longer_occurring | map(.fingerprint) == ["0123456789abcdef"]' merged.json >/dev/null ||
  fail "merge: $(jq -c .summary.baseline merged.json)"
jq -e '.summary.suppressed == 1 and .summary.failing == 2' merged.json >/dev/null || fail "merge: $(jq -c .summary merged.json)"
echo "ok"
