#!/usr/bin/env bash
# --shard I/N and apilint merge (issue 12 item 4), over real sockets
# against the fixture server:
#  1. shards partition the spec: every endpoint in exactly one shard, for
#     N = 1..5, and they are balanced (sizes differ by at most 1 when each
#     path has one endpoint); the endpoints of one path stay together;
#  2. the assignment is stable: the same across runs, ports (another
#     server) and the order of the endpoints in the file;
#  3. merge of the demo spec's 3 shards (probes, secrets, a timeout, peers
#     on one path) equals the unsharded run: JSON (modulo times, ports,
#     start), text, JUnit, and the exit status, also with --fail-on; the
#     merged JUnit validates against both schemas of ../shared;
#  4. merge refuses (exit 2, naming the file and why) missing, repeated and
#     overlapping shards, other --shard totals, another spec, another
#     version, an interrupted run, broken JSON, a file that is not a report;
#  5. --shard values: bad ones are exit 2 with the reason, nothing sent;
#     auto reads CI_NODE_INDEX / CI_NODE_TOTAL;
#  6. nothing reachable: every shard and the merge exit 3.
# Usage: shard.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
apilint=$(realpath "$1")
shared=$2
src=$(realpath "$3")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$here/../cli/lib/run.bash"
require jq xmllint

# ---- a spec of 23 paths, one with three methods (a path group) ----
cat > "$tmp/replies" <<'R'
=== GET /g
HTTP/1.1 200 OK
Content-Type: application/json
Content-Length: auto

{"ok": true}
=== POST /g
HTTP/1.1 201 Created
Location: /g/1
Content-Length: 0

=== DELETE /g
HTTP/1.1 204 No Content

R
for i in $(seq 0 21); do
  printf '=== * /p/%s\nHTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: auto\n\n{"ok": true}\n' "$i"
done >> "$tmp/replies"
# gen_spec FILE [reverse]: p0..p21 on /p/I, then GET/POST/DELETE /g.
gen_spec() {
  local lines=()
  for i in $(seq 0 21); do
    lines+=("  - {name: p$i, path: /p/$i}")
  done
  lines+=("  - {name: g-get, path: /g}" "  - {name: g-post, method: POST, path: /g}"
          "  - {name: g-delete, method: DELETE, path: /g}")
  {
    echo "version: 1"
    echo "base_url: \${FIXTURE_URL}"
    echo "endpoints:"
    if [ "${2:-}" = reverse ]; then
      for (( k=${#lines[@]}-1; k>=0; k-- )); do echo "${lines[$k]}"; done
    else
      printf '%s\n' "${lines[@]}"
    fi
  } > "$1"
}
mkdir -p "$tmp/a" "$tmp/b"
gen_spec "$tmp/a/api.yaml"
gen_spec "$tmp/b/api.yaml" reverse   # same name "api", endpoints reversed
start_server "$tmp/replies"

# shard_names SPEC I N OUT: runs shard I/N, writes its endpoint names
# (sorted) to OUT, and checks the report says which shard it is.
shard_names() {
  local rc=0
  "$apilint" "$1" --shard "$2/$3" --json "$tmp/r.json" -q >/dev/null 2>"$tmp/err" || rc=$?
  [ "$rc" -le 1 ] || fail "shard $2/$3 of $1 exits $rc: $(cat "$tmp/err")"
  jq -e --argjson i "$2" --argjson n "$3" '.shard == {index: $i, total: $n}
      and .specs[0].total_endpoints == 25 and .specs[0].endpoints == (.endpoints | length)' \
    "$tmp/r.json" >/dev/null || fail "shard $2/$3: report head $(jq -c '{shard, specs}' "$tmp/r.json")"
  jq -r '.endpoints[].name' "$tmp/r.json" | sort > "$4"
}

all=$(seq 0 21 | sed 's/^/p/'; printf 'g-delete\ng-get\ng-post\n')
all=$(sort <<<"$all")
for n in 1 2 3 4 5; do
  : > "$tmp/union"
  sizes=()
  for i in $(seq 1 "$n"); do
    shard_names "$tmp/a/api.yaml" "$i" "$n" "$tmp/n$n.$i"
    cat "$tmp/n$n.$i" >> "$tmp/union"
    # The /g group is whole in one shard or absent from it.
    g=$(grep -c '^g-' "$tmp/n$n.$i" || true)
    [ "$g" = 0 ] || [ "$g" = 3 ] || fail "shard $i/$n splits the /g path group ($g of 3)"
    # Balance over the single-path endpoints: the group counts as its 3.
    sizes+=("$(wc -l < "$tmp/n$n.$i")")
  done
  [ "$(sort "$tmp/union")" = "$all" ] ||
    fail "the $n shards are not a partition: $(sort "$tmp/union" | uniq -c | awk '$1 != 1' | tr '\n' ' ')"
  min=$(printf '%s\n' "${sizes[@]}" | sort -n | head -1)
  max=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)
  # 25 endpoints with one group of 3: sizes differ by at most 3 - 1 + 1.
  [ $(( max - min )) -le 3 ] || fail "$n shards unbalanced: ${sizes[*]}"
  echo "ok: $n shards partition 25 endpoints: sizes ${sizes[*]}"
done

# Without a multi-endpoint path: sizes differ by at most 1.
sed -i '/name: g-/d' "$tmp/a/api.yaml"
for n in 2 3 4 7; do
  sizes=()
  for i in $(seq 1 "$n"); do
    rm -f "$tmp/r.json" # never the last run's
    rc=0
    "$apilint" "$tmp/a/api.yaml" --shard "$i/$n" --json "$tmp/r.json" -q >/dev/null 2>"$tmp/err" || rc=$?
    [ "$rc" -le 1 ] || fail "shard $i/$n of 22 exits $rc: $(cat "$tmp/err")"
    sizes+=("$(jq '.endpoints | length' "$tmp/r.json")")
  done
  min=$(printf '%s\n' "${sizes[@]}" | sort -n | head -1)
  max=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)
  [ $(( max - min )) -le 1 ] || fail "22 single-path endpoints in $n shards: sizes ${sizes[*]}"
  [ "$(( $(IFS=+; echo "${sizes[*]}") ))" = 22 ] || fail "$n shards hold ${sizes[*]} of 22"
  echo "ok: 22 endpoints in $n shards: sizes ${sizes[*]}"
done
gen_spec "$tmp/a/api.yaml"

# ---- 2. stable: again, on another port, with the file reversed ----
# The second server starts while the first still holds its port, so the
# kernel cannot hand the same port out again.
first_pid=$server_pid
old_port=$(cat "$tmp/port")
rm -f "$tmp/port" # start_server waits for a new one
start_server "$tmp/replies"
kill "$first_pid" 2>/dev/null || true
wait "$first_pid" 2>/dev/null || true
[ "$(cat "$tmp/port")" != "$old_port" ] || fail "the fixture server came back on the same port"
for i in 1 2 3; do
  shard_names "$tmp/a/api.yaml" "$i" 3 "$tmp/again.$i"
  cmp -s "$tmp/n3.$i" "$tmp/again.$i" || fail "shard $i/3 changed with the port"
  shard_names "$tmp/b/api.yaml" "$i" 3 "$tmp/rev.$i"
  cmp -s "$tmp/n3.$i" "$tmp/rev.$i" ||
    fail "shard $i/3 changed when the spec's endpoints were reordered: $(tr '\n' ' ' < "$tmp/n3.$i") vs $(tr '\n' ' ' < "$tmp/rev.$i")"
done
echo "ok: the same shards on another port and with the endpoints reversed"
# Probes go with their endpoint: only shard members' requests were sent.
: > "$tmp/server.log"
"$apilint" "$tmp/a/api.yaml" --shard 2/3 --probe head -q >/dev/null 2>&1 || true
want=$(sed 's/^p\([0-9]*\)$/\/p\/\1/; s/^g-.*$/\/g/' "$tmp/n3.2" | sort -u)
got=$(cut -f2 "$tmp/server.log" | sort -u)
[ "$got" = "$want" ] || fail "shard 2/3 with --probe head sent to $got, want $want"
grep -q $'^HEAD\t' "$tmp/server.log" || fail "no HEAD probe was sent in shard 2/3"
echo "ok: probes are sent with their endpoint's shard only"
stop_server

# ---- 3. merge = the unsharded run, on the demo spec ----
rm -f "$tmp/port" # start_server waits for the new server's port
start_server "$src/specs/demo.replies"
export DEMO_URL=$FIXTURE_URL
demo=$src/specs/demo.yaml
mkdir -p "$tmp/m" && cd "$tmp/m"
# The other report formats (--html, --sarif) are merged and compared too.
formats=(html sarif)
extra_full=(--html full.html --sarif full.sarif)
extra_merged=(--html merged.html --sarif merged.sarif)
set +e
"$apilint" "$demo" --json full.json --junit full.xml "${extra_full[@]}" > full.txt 2>full.err
full_rc=$?
# The shards side by side, as CI jobs run; all three within 60 s, or the
# ones still running are killed (by their PIDs) and the test fails.
pids=()
for i in 1 2 3; do
  "$apilint" "$demo" --shard "$i/3" --json "s$i.json" > "s$i.txt" 2>"s$i.err" &
  pids+=($!)
done
deadline=$((SECONDS + 60))
for i in 1 2 3; do
  pid=${pids[$((i - 1))]}
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.05
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "${pids[@]:$((i - 1))}" 2>/dev/null
    fail "demo shard $i/3 did not exit within 60 s (killed: ${pids[*]:$((i - 1))})"
  fi
  wait "$pid"
  rc=$?
  [ "$rc" = 1 ] || fail "demo shard $i/3 exits $rc, want 1: $(cat "s$i.err")"
done
"$apilint" merge s3.json s1.json s2.json --json merged.json --junit merged.xml \
  "${extra_merged[@]}" > merged.txt 2>merged.err
merge_rc=$?
set -e
[ "$full_rc" = 1 ] || fail "the demo run exits $full_rc, want 1: $(cat full.err)"
[ "$merge_rc" = "$full_rc" ] || fail "merge exits $merge_rc, the run $full_rc: $(cat merged.err)"
[ ! -s merged.err ] || fail "merge wrote to stderr: $(cat merged.err)"
norm='del(.started, .summary.elapsed_ms)
  | walk(if type == "object" then del(.elapsed_ms) else . end)
  | walk(if type == "string" then gsub("127\\.0\\.0\\.1:[0-9]+"; "HOST")
      | gsub("after [0-9]+ milliseconds"; "after N milliseconds") else . end)'
jq "$norm" full.json > full.norm
jq "$norm" merged.json > merged.norm
diff full.norm merged.norm > json.diff || fail "merged JSON differs from the unsharded run's: $(head -40 json.diff)"
[ "$(jq '.endpoints | length' merged.json)" = 17 ] || fail "merged report has $(jq '.endpoints | length' merged.json) endpoints"
jq -e '[.endpoints[].probes | length] | add > 0' merged.json >/dev/null || fail "no probe entries merged"
grep -q '\*\*\*' merged.json || fail "the secret is not masked in the merged report"
! grep -q 'demo-token-1234' merged.json merged.txt merged.xml || fail "the secret leaked into a merged report"
echo "ok: merged JSON equals the unsharded run's (17 endpoints, probes included)"
# Times and ports differ, and so does curl's "timed out after N milliseconds".
vol='s/127\.0\.0\.1:[0-9]+/HOST/g; s/after [0-9]+ milliseconds/after N milliseconds/g'
tnorm() { sed -E "s/ +[0-9]+ ms//; s/ \([0-9]+ ms\)//; $vol" "$1"; }
diff <(tnorm full.txt) <(tnorm merged.txt) > text.diff || fail "merged text differs: $(head -20 text.diff)"
echo "ok: merged text output equals the run's"
xnorm() { sed -E 's/time="[0-9.]+"/time=""/g; s/timestamp="[^"]+"/timestamp=""/; s/apilint.started" value="[^"]+"/apilint.started" value=""/'"; $vol" "$1"; }
diff <(xnorm full.xml) <(xnorm merged.xml) > xml.diff || fail "merged JUnit differs: $(head -20 xml.diff)"
echo "ok: merged JUnit equals the run's"
# HTML: a nonce per page, the start, the wall time.
hnorm() { sed -E "s/nonce[-=\"']+[0-9a-f]{32}/nonce/g; s/started [0-9TZ:-]+ on [^&]+ &middot; [0-9.]+ (ms|s|min)/started/; s/[0-9]+ ms/N ms/g; $vol" "$1"; }
# SARIF: the invocation's start and end times too.
snorm() { jq "$norm | del(.runs[].invocations[].startTimeUtc, .runs[].invocations[].endTimeUtc)" "$1"; }
for f in "${formats[@]}"; do
  [ -s "merged.$f" ] || fail "merge --$f wrote nothing"
  case $f in
    html) diff <(hnorm full.html) <(hnorm merged.html) > html.diff || fail "merged HTML differs: $(head -20 html.diff)" ;;
    sarif) diff <(snorm full.sarif) <(snorm merged.sarif) > sarif.diff || fail "merged SARIF differs: $(head -20 sarif.diff)" ;;
  esac
  echo "ok: merged $f equals the run's"
done
schemas_missing=0
for xsd in ant-junit.xsd jenkins-xunit-junit-10.xsd; do
  if [ -f "$shared/schemas/$xsd" ]; then
    xmllint --noout --schema "$shared/schemas/$xsd" merged.xml 2>xsd.err ||
      fail "merged JUnit does not validate against $xsd: $(cat xsd.err)"
    echo "ok: merged JUnit validates against $xsd"
  else
    schemas_missing=1 # 77 at the end, under CI too (a clone without ../shared)
  fi
done
# --fail-on: the merge's own, with the run's exit codes.
"$apilint" merge s1.json s2.json s3.json --fail-on never -q >/dev/null || fail "merge --fail-on never exits $?"
"$apilint" "$demo" --shard 1/1 --fail-on never --json one.json -q >/dev/null 2>&1 || fail "--shard 1/1 --fail-on never exits $?"
set +e; "$apilint" merge one.json -q >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 0 ] || fail "merge of one --fail-on never shard exits $rc, want 0 (the shard's --fail-on)"
set +e; "$apilint" merge one.json --fail-on info -q >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "merge --fail-on info exits $rc, want 1"
echo "ok: merge exits by --fail-on (default: the shards')"
# Baselines: merge --baseline judges the merged run as one run would; the
# shards' own --baseline marks travel through a merge without one.
"$apilint" "$demo" --write-baseline base.yaml --fail-on never -q >/dev/null 2>&1 ||
  fail "--write-baseline exits $?"
set +e
"$apilint" "$demo" --baseline base.yaml --json fullb.json -q >/dev/null 2>&1
fullb_rc=$?
"$apilint" merge s1.json s2.json s3.json --baseline base.yaml --json mergedb.json -q >/dev/null 2>mergedb.err
mergedb_rc=$?
set -e
[ "$fullb_rc" = 0 ] && [ "$mergedb_rc" = 0 ] ||
  fail "with the baseline: run exits $fullb_rc, merge --baseline $mergedb_rc, want 0 and 0 ($(cat mergedb.err))"
jq -e '.summary.suppressed > 0 and .summary.baseline.no_longer_occurring == []' mergedb.json >/dev/null ||
  fail "merge --baseline: $(jq -c .summary mergedb.json)"
diff <(jq "$norm" fullb.json) <(jq "$norm" mergedb.json) > base.diff ||
  fail "merge --baseline differs from a run with --baseline: $(head -20 base.diff)"
"$apilint" merge s1.json s2.json s3.json --write-baseline mwb.yaml --fail-on never -q >/dev/null 2>&1 ||
  fail "merge --write-baseline exits $?"
cmp -s base.yaml mwb.yaml || fail "merge --write-baseline differs from the run's: $(diff base.yaml mwb.yaml | head)"
# Shards run with the baseline, merged without it: the marks stay.
for i in 1 2 3; do
  "$apilint" "$demo" --shard "$i/3" --baseline base.yaml --json "b$i.json" -q >/dev/null 2>&1 ||
    fail "shard $i/3 with --baseline exits $?"
done
"$apilint" merge b1.json b2.json b3.json --json mergedm.json -q >/dev/null 2>&1 ||
  fail "merge of shards run with --baseline exits $?"
[ "$(jq -c '[.endpoints[] | (.findings[], .probes[].findings[]) | .suppressed]' mergedm.json)" = \
  "$(jq -c '[.endpoints[] | (.findings[], .probes[].findings[]) | .suppressed]' fullb.json)" ] ||
  fail "the shards' baseline marks were lost in the merge"
[ "$(jq .summary.suppressed mergedm.json)" = "$(jq .summary.suppressed fullb.json)" ] ||
  fail "merged summary.suppressed $(jq .summary.suppressed mergedm.json), run $(jq .summary.suppressed fullb.json)"
echo "ok: merge --baseline = one run with --baseline (exit 0, $(jq .summary.suppressed mergedb.json) suppressed, none stale); shards' marks kept without it; merge --write-baseline = the run's"

# ---- 4. refusals ----
refuse() { # WHAT PATTERN ARGS...: exit 2 and stderr matching PATTERN
  local what=$1 pat=$2
  shift 2
  set +e
  "$apilint" merge "$@" --json refused.json > out.txt 2> err.txt
  local rc=$?
  set -e
  [ "$rc" = 2 ] || fail "merge of $what: exit $rc, want 2 ($(cat err.txt))"
  grep -Eq -- "$pat" err.txt || fail "merge of $what: stderr '$(cat err.txt)' does not match '$pat'"
  [ ! -e refused.json ] || fail "merge of $what wrote a report"
  echo "ok: merge refuses $what: $(cat err.txt)"
}
refuse "a missing shard" '1 of 3 shards missing: 2/3' s1.json s3.json
refuse "a shard given twice" 's1\.json: shard 1/3 again \(s1\.json' s1.json s1.json s2.json s3.json
"$apilint" "$demo" --shard 1/2 --json t1.json -q >/dev/null 2>&1 || true
refuse "other --shard totals" 't1\.json: shard 1/2, but s2\.json is shard 2/3' s2.json t1.json s3.json
refuse "a whole run with a shard" "s1\\.json: full\\.json is the report of a whole run \\(no --shard\\)" full.json s1.json
jq '.shard.index = 2' s1.json > fake2.json
refuse "overlapping shards" "fake2\.json: endpoints\[0\]: endpoint '[^']+' .* is in s1\.json too: the shards overlap" s1.json fake2.json s3.json
jq '.specs[0].digest = "0000000000000000"' s2.json > other.json
refuse "another spec" "other\.json: specs\[0\]: .*different specs or spec versions" s1.json other.json s3.json
jq '.apilint = "0.0.1"' s2.json > old.json
refuse "another version" 'old\.json: written by apilint 0\.0\.1' s1.json old.json s3.json
jq '.summary.interrupted = true | .summary.signal = "SIGINT"' s2.json > int.json
refuse "an interrupted run" 'int\.json: the run was interrupted \(SIGINT\)' s1.json int.json s3.json
head -c 2000 s2.json > cut.json
refuse "a cut report" 'cut\.json: not JSON \(broken or cut short at line [0-9]+, column [0-9]+\)' s1.json cut.json s3.json
echo '{"users": []}' > notreport.json
refuse "a file that is not a report" 'notreport\.json: not an apilint JSON report' notreport.json
refuse "a missing file" 'nothere\.json: cannot read: No such file' s1.json nothere.json s3.json
jq 'del(.endpoints[0].rules)' s2.json > norules.json
refuse "a report without rule outcomes" "norules\.json: endpoints\[0\]: no 'rules'" s1.json norules.json s3.json
refuse "a report as its own output" 'same file|would replace' s1.json s2.json s3.json --junit s1.json
# Hand-edited reports: what merge writes as it reads it (a fingerprint
# into --write-baseline's YAML, an expiry date into the text line) must
# have the shape a run gives it; numbers stay in range (1e999 is infinity
# to cJSON); a spec may not claim more endpoints than the files can hold
# (they are allocated up front: a 20 KB file claiming 50,000,000 took 17 GB).
jq '(.endpoints[].findings[]).fingerprint = "0123456789abcdef\"\nversion: 2\n#"' s2.json > fpinj.json
refuse "a fingerprint that is not one" "fpinj\.json: endpoints\[[0-9]+\]: 'fingerprint' must be 16 lower-case hex digits" s1.json fpinj.json s3.json
jq '(.endpoints[].findings[]).baseline_expired = "\u001b[31m2027-01-01"' s2.json > expinj.json
refuse "an expiry that is no date" "expinj\.json: endpoints\[[0-9]+\]: 'baseline_expired' must be a date" s1.json expinj.json s3.json
sed -E 's/"read_limit":[[:space:]]*[0-9]+/"read_limit": 1e999/' s2.json > inf.json
refuse "an infinite read limit" "inf\.json: endpoints\[[0-9]+\]: 'read_limit' must be a number from" s1.json inf.json s3.json
jq '.specs[0].total_endpoints = 50000000' s1.json > huge1.json
jq '.specs[0].total_endpoints = 50000000' s2.json > huge2.json
jq '.specs[0].total_endpoints = 50000000' s3.json > huge3.json
refuse "a spec claiming 50,000,000 endpoints" "huge1\.json: specs\[0\]: 'total_endpoints' 50000000: the reports given cannot hold that many" huge1.json huge2.json huge3.json
# Long arrays are walked, not indexed (cJSON_GetArrayItem walks from the
# start): 200,000 retries took minutes.
jq '.endpoints[0].attempts = [range(200000) | {attempt: 1, elapsed_ms: 0, transport_error: null, retry_after_ms: null}]' s2.json > retries.json
set +e; timeout 60 "$apilint" merge s1.json retries.json s3.json -q >/dev/null 2>err.txt; rc=$?; set -e
[ "$rc" = 1 ] || fail "merge of a report with 200,000 attempts: exit $rc, want 1 within 60 s ($(cat err.txt))"
echo "ok: merge reads an endpoint of 200,000 attempts"
# Rule outcomes are hashed, not searched: 200,000 rules took minutes.
jq '.endpoints[0].rules = [range(200000) | "r\(.)"] | .endpoints[0].checked = .endpoints[0].rules | .endpoints[0].findings = []' s2.json > rules.json
set +e; timeout 60 "$apilint" merge s1.json rules.json s3.json -q >/dev/null 2>err.txt; rc=$?; set -e
[ "$rc" = 1 ] || fail "merge of a report with 200,000 rules: exit $rc, want 1 within 60 s ($(cat err.txt))"
echo "ok: merge reads an endpoint of 200,000 rule outcomes"

# ---- 5. --shard values ----
: > "$tmp/server.log"
bad_shard() { # VALUE PATTERN [ENV...]
  local v=$1 pat=$2
  shift 2
  set +e
  env "$@" "$apilint" "$demo" --shard "$v" > out.txt 2> err.txt
  local rc=$?
  set -e
  [ "$rc" = 2 ] || fail "--shard $v ($*): exit $rc, want 2"
  grep -Eq -- "$pat" err.txt || fail "--shard $v ($*): '$(cat err.txt)' does not match '$pat'"
  echo "ok: --shard $v $*: $(cat err.txt)"
}
for v in 0/3 4/3 3 /3 1/ a/b 1/0 1/1001 -1/3 '1/3x'; do
  bad_shard "$v" "--shard must be I/N with 1 <= I <= N <= 1000, or auto, got '$v'"
done
bad_shard auto 'CI_NODE_TOTAL is not set' -u CI_NODE_INDEX -u CI_NODE_TOTAL
bad_shard auto 'CI_NODE_INDEX must be a number from 1 to CI_NODE_TOTAL \(3\), got .0.' CI_NODE_INDEX=0 CI_NODE_TOTAL=3
bad_shard auto 'CI_NODE_INDEX must be a number from 1 to CI_NODE_TOTAL \(3\), got .4.' CI_NODE_INDEX=4 CI_NODE_TOTAL=3
bad_shard auto 'CI_NODE_TOTAL must be a number from 1 to 1000, got .x.' CI_NODE_INDEX=1 CI_NODE_TOTAL=x
bad_shard auto 'CI_NODE_TOTAL is 3 but CI_NODE_INDEX is not set' -u CI_NODE_INDEX CI_NODE_TOTAL=3
set +e; "$apilint" check http://127.0.0.1:9/ --shard 1/2 >/dev/null 2>err.txt; rc=$?; set -e
[ "$rc" = 2 ] && grep -q -- '--shard is only for runs of spec files' err.txt || fail "check --shard: exit $rc $(cat err.txt)"
[ ! -s "$tmp/server.log" ] || fail "a bad --shard still sent requests"
# auto = the same shard as I/N; a job without parallel: is the whole run.
CI_NODE_INDEX=2 CI_NODE_TOTAL=3 "$apilint" "$demo" --shard auto --json auto.json -q >/dev/null 2>&1 || true
[ "$(jq -c '[.endpoints[].name]' auto.json)" = "$(jq -c '[.endpoints[].name]' s2.json)" ] ||
  fail "--shard auto with CI_NODE_INDEX=2 CI_NODE_TOTAL=3 is not shard 2/3"
env -u CI_NODE_INDEX CI_NODE_TOTAL=1 "$apilint" "$demo" --shard auto --json auto1.json -q >/dev/null 2>&1 || true
jq -e '.shard == {index: 1, total: 1} and (.endpoints | length) == 17' auto1.json >/dev/null ||
  fail "--shard auto with CI_NODE_TOTAL=1 is not the whole run"
echo "ok: --shard auto reads CI_NODE_INDEX/CI_NODE_TOTAL"

# ---- 6. nothing reachable: 3 everywhere ----
for i in 1 2; do
  set +e
  "$apilint" "$tmp/a/api.yaml" --shard "$i/2" --base-url http://127.0.0.1:9 --json "u$i.json" -q >/dev/null 2>&1
  rc=$?
  set -e
  [ "$rc" = 3 ] || fail "unreachable shard $i/2 exits $rc, want 3"
done
set +e; "$apilint" merge u1.json u2.json -q >/dev/null 2>err.txt; rc=$?; set -e
[ "$rc" = 3 ] || fail "merge of unreachable shards exits $rc, want 3 ($(cat err.txt))"
echo "ok: unreachable shards and their merge exit 3"

if [ "$schemas_missing" = 1 ]; then
  echo "skip: $shared/schemas absent: the merged JUnit was not validated"
  exit 77
fi
echo "all shard checks passed"
