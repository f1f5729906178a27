#!/usr/bin/env bash
# Fail early (issue 10 item 5): every report path gets its temporary file
# before the first request, so an unwritable one is exit 2 with nothing
# sent - the fixture server's request log stays empty - and no other report
# (nor any temporary file) is left behind.
# Usage: fail_early.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
apilint=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$here/lib/run.bash"

cat > "$tmp/replies" <<'R'
=== GET /slow
HTTP/1.1 200 OK
Content-Type: application/json
Content-Length: auto

{"ok": true}
R
start_server "$tmp/replies"
slow_spec "$tmp/spec.yaml" 3
mkdir "$tmp/out"
echo "a file, not a directory" > "$tmp/file"

# expect_refused WHAT ARGS...: exit 2, the path named, nothing sent, no
# report or temporary file written.
expect_refused() {
  local what=$1
  shift
  rc=0
  (cd "$tmp/out" && "$apilint" "$@" "$tmp/spec.yaml" >"$tmp/stdout" 2>"$tmp/stderr") || rc=$?
  [ "$rc" = 2 ] || fail "$what: exit $rc, want 2"
  grep -q "apilint: error: .*cannot create a temporary file next to the report" "$tmp/stderr" ||
    fail "$what: no error naming the report: $(cat "$tmp/stderr")"
  [ "$(requests)" = 0 ] || fail "$what: $(requests) request(s) sent: $(cat "$tmp/server.log")"
  [ -z "$(ls -A "$tmp/out")" ] || fail "$what: left $(ls -A "$tmp/out")"
  [ ! -s "$tmp/stdout" ] || fail "$what: printed a report: $(cat "$tmp/stdout")"
}

expect_refused "--junit in a missing directory" --junit "$tmp/missing/x.xml"
expect_refused "--json under a file" --json r.json --junit "$tmp/file/x.xml"
expect_refused "--json under a file (first)" --json "$tmp/file/x.json" --junit r.xml
grep -q "$tmp/file/x.json" "$tmp/stderr" || fail "the error does not name the path"

# And a writable pair works, so the checks above could have passed.
(cd "$tmp/out" && "$apilint" --json r.json --junit r.xml "$tmp/spec.yaml" >/dev/null) ||
  fail "the writable run failed"
[ "$(requests)" = 3 ] || fail "the writable run sent $(requests) requests, want 3"
[ "$(ls -A "$tmp/out" | tr '\n' ' ')" = "r.json r.xml " ] || fail "out holds $(ls -A "$tmp/out")"
echo "fail-early: unwritable report paths refused with nothing sent"
