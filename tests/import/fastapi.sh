#!/usr/bin/env bash
# import/fastapi: a live round trip. A FastAPI app (Debian python3-fastapi
# and python3-uvicorn, run by /usr/bin/python3) serves its own generated
# /openapi.json; apilint imports it, lints the running app, and finds what
# the handlers' anti-patterns should give, and nothing on the correct ones
# (fires and quiet); the POST is imported but not sent. The document given
# directly as a spec gives the same findings, located at the operations in
# openapi.json. Skipped (77) without FastAPI, unless CI is set.
#
#   fastapi.sh APILINT FIXTURE_SERVER
test_name=fastapi
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apilint=$(realpath "$1")
py=/usr/bin/python3
[ -x $py ] && $py -c 'import fastapi, uvicorn' 2>/dev/null ||
  skip_or_fail "Debian's python3-fastapi and python3-uvicorn are not installed"
command -v jq >/dev/null || skip_or_fail "jq is not installed"
cd "$tmp" || exit 1

: >app.log
$py "$top/tests/import/fastapi/app.py" "$tmp/port" "$tmp/app.log" >app.out 2>&1 &
pids+=($!)
tries=0
while [ ! -s port ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 600 ] || ! kill -0 "${pids[0]}" 2>/dev/null; then
    fail "the FastAPI app did not start: $(cat app.out)"
    exit 1
  fi
  sleep 0.05
done
url=http://127.0.0.1:$(cat port)

$py -c 'import sys, urllib.request; open(sys.argv[2], "wb").write(urllib.request.urlopen(sys.argv[1], timeout=20).read())' \
  "$url/openapi.json" openapi.json || fail "could not fetch /openapi.json"
"$apilint" import openapi.json -o spec.yaml 2>import.err
expect_exit 0 $? "import: $(cat import.err)"
expect_grep '^  - name: listUsers$' spec.yaml "operationId from FastAPI"
expect_grep '^    path: /users/\$\{USER_ID:-1\}$' spec.yaml "path parameter"
expect_grep '^    skip: "POST may change data' spec.yaml "the POST is switched off"
: >app.log
"$apilint" spec.yaml --base-url "$url" --json out.json >out.txt 2>err.txt
expect_exit 1 $? "lint of the running app"

# shellcheck disable=SC2016 # jq's $n
pairs='.endpoints[] | .name as $n | .findings[] | "\($n)\t\(.rule)"'
jq -r "$pairs" out.json | sort >got.findings
printf '%s\t%s\n' \
  crash expectation \
  crash server-error \
  crash server-error-leak \
  listReports retry-after-missing \
  listUsers error-body-on-success \
  whoAmI unauthorized-without-challenge | sort >want.findings
if ! diff -u want.findings got.findings >diff.out; then
  fail "findings differ (- expected, + reported):"
  cat diff.out >&2
fi
# Quiet where the app is right.
jq -e '[.endpoints[] | select(.name == "health" or .name == "getUser") | .findings | length] == [0, 0]' out.json >/dev/null ||
  fail "health/getUser are not quiet"
expect_grep '^GET /users$' app.log "GET /users was sent"
expect_no_grep '^POST ' app.log "the POST was sent"
expect_no_grep '^GET /openapi.json' app.log "the document was fetched again"

# The document itself as the spec: the same findings, at openapi.json's
# positions (FastAPI writes it on one line).
"$apilint" openapi.json --base-url "$url" --json direct.json >direct.txt 2>direct.err
expect_exit 1 $? "lint with openapi.json as the spec"
jq -r "$pairs" direct.json | sort >direct.findings
cmp -s got.findings direct.findings || fail "openapi.json as a spec: other findings: $(cat direct.findings)"
expect_grep '^openapi\.json:1:[0-9]+: error: whoAmI: 401 without WWW-Authenticate' direct.txt "finding at the operation in openapi.json"
finish "$(wc -l <got.findings) findings as the handlers deserve"
