#!/usr/bin/env bash
# Issue 14 (trust under attack), the parts one e2e case cannot hold because
# they take several runs: URL secrets in `apilint check` error messages,
# report paths that clash with each other or with an input (usage errors,
# nothing sent: the fixture server's log proves it), a dangling symlink as
# a report target, what `check -X POST --probe all` sends.
# Usage: trust.sh APILINT SHARED_DIR SOURCE_DIR (APILINT_FIXTURE_SERVER set)
set -euo pipefail
apilint=$1
server=${APILINT_FIXTURE_SERVER:?APILINT_FIXTURE_SERVER must name the fixture server}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apilint-trust.XXXXXX")
server_pid=
failed=0
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$failed" = 0 ]; then rm -rf "$tmp"; else echo "kept $tmp"; fi
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  failed=1
}

# --- the fixture server (bounded wait for its port file) ---------------------
cat >"$tmp/replies" <<'REPLIES'
=== * /
HTTP/1.1 200 OK
Content-Type: text/plain
Content-Length: auto

ok
REPLIES
: >"$tmp/log"
"$server" --replies "$tmp/replies" --port-file "$tmp/port" --log "$tmp/log" \
  --max-seconds 120 >"$tmp/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 1 200); do
  [ -s "$tmp/port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "fixture server died"; exit 1; }
  sleep 0.05
done
[ -s "$tmp/port" ] || { echo "no port file within 10 s"; exit 1; }
port=$(cat "$tmp/port")
url=http://127.0.0.1:$port

# run NAME EXPECTED_STATUS ARGS...: runs apilint from $tmp with stdout and
# stderr in $tmp/NAME.out, checks the exit status.
run() {
  local name=$1 want=$2
  shift 2
  local status=0
  (cd "$tmp" && timeout -k 5 60 "$apilint" "$@") >"$tmp/$name.out" 2>&1 || status=$?
  if [ "$status" != "$want" ]; then
    fail "$name: exit $status, expected $want:"
    sed 's/^/  /' "$tmp/$name.out"
  fi
}
# must_not NAME ERE: the output of run NAME must not match.
must_not() {
  if grep -E -q -- "$2" "$tmp/$1.out"; then
    fail "$1: output matches /$2/:"
    sed 's/^/  /' "$tmp/$1.out"
  fi
}
must() {
  if ! grep -E -q -- "$2" "$tmp/$1.out"; then
    fail "$1: output does not match /$2/:"
    sed 's/^/  /' "$tmp/$1.out"
  fi
}

# --- item 3: check prints no URL secret in its error messages ---------------
run check-port 2 check 'http://alice:PW-trust-1@127.0.0.1:99999/'
must_not check-port 'PW-trust-1'
must check-port 'alice:\*\*\*@'
run check-token 2 check 'http://127.0.0.1:99999/?access_token=TOK-trust-2'
must_not check-token 'TOK-trust-2'
run check-ftp 2 check 'ftp://alice:PW-trust-3@127.0.0.1/?token=TOK-trust-4'
must_not check-ftp 'PW-trust-3|TOK-trust-4'
must check-ftp 'is not an http'
run file-url 2 'http://alice:PW-trust-5@127.0.0.1/spec.yaml'
must_not file-url 'PW-trust-5'

# --- item 5: reports that would clobber are usage errors, nothing sent ------
cat >"$tmp/s.yaml" <<SPEC
version: 1
base_url: $url
endpoints:
  - path: /
SPEC
cp "$tmp/s.yaml" "$tmp/s.orig"
printf 'rules: []\n' >"$tmp/r.yaml"
mkdir -p "$tmp/d"
ln -s s.yaml "$tmp/s-link.yaml"
ln "$tmp/s.yaml" "$tmp/s-hard.yaml"
ln -s new.out "$tmp/new-link.out"
run same-report 2 s.yaml --json same.out --junit same.out
must same-report "'same.out' names the same file as"
[ ! -e "$tmp/same.out" ] || fail "same-report: same.out was written"
run dot-report 2 s.yaml --json ./same.out --junit same.out
run dir-report 2 s.yaml --json d/../same.out --junit same.out
run link-new-report 2 s.yaml --json new-link.out --junit new.out
[ ! -e "$tmp/new.out" ] || fail "link-new-report: new.out was written"
run spec-report 2 s.yaml --json s.yaml
must spec-report "--json 's.yaml' names the same file as spec 's.yaml'"
run spec-link-report 2 s.yaml --junit s-link.yaml
run spec-hard-report 2 s.yaml --json s-hard.yaml
run rules-report 2 s.yaml --rules r.yaml --junit ./r.yaml
run framing-header 2 s.yaml -H 'Content-Length: 99999'
must framing-header "frames the request"
cmp -s "$tmp/s.yaml" "$tmp/s.orig" || fail "the spec was replaced by a report"
[ -L "$tmp/s-link.yaml" ] || fail "the spec's symlink was replaced"
grep -q 'rules: \[\]' "$tmp/r.yaml" || fail "the rule file was replaced"

# Nothing above may have reached the server: every run was a usage error.
if [ -s "$tmp/log" ]; then
  fail "requests were sent although every run above is a usage error:"
  sed 's/^/  /' "$tmp/log"
fi

# Paths that do not clash still run (and are sent).
run distinct-reports 0 s.yaml --json a.json --junit b.xml
[ -s "$tmp/a.json" ] && [ -s "$tmp/b.xml" ] || fail "distinct-reports: reports missing"

# --- item 7: a dangling symlink report target stays a link ------------------
mkdir -p "$tmp/out"
ln -s out/made-by-link.json "$tmp/dangling.json"
run dangling 0 s.yaml --json dangling.json
[ -L "$tmp/dangling.json" ] || fail "dangling.json was replaced by a regular file"
jq -e '.endpoints | length == 1' "$tmp/out/made-by-link.json" >/dev/null 2>&1 ||
  fail "the link's target out/made-by-link.json was not written"

# --- item 7: check -X POST --probe all never repeats the POST ---------------
: >"$tmp/log"
run check-post 1 check "$url/" -X POST --probe all -H 'Authorization: Bearer tok-trust-6'
posts=$(grep -c "^POST"$'\t' "$tmp/log" || true)
[ "$posts" = 1 ] || fail "check -X POST --probe all sent $posts POSTs (want 1):$(cut -f1,2 "$tmp/log")"
must check-post "probe unauthenticated.*not sent: .apilint check. never repeats a POST"
grep -q "^PATCH"$'\t' "$tmp/log" || fail "check --probe all sent no method-not-allowed PATCH"

exit "$failed"
