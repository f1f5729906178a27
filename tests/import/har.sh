#!/usr/bin/env bash
# import/har: `apilint har` on recordings written by make_har.py: each rule
# that can judge a recorded answer fires where it should and nowhere else,
# findings are located at the entry's line, browser noise and URLs outside
# --base-url are skipped, base64 bodies are read, and no secret of the
# recording (Authorization, Cookie, Set-Cookie, an API-key header, a
# credential query parameter) is printed in any output. Nothing is sent.
#
#   har.sh APILINT FIXTURE_SERVER
test_name=har
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apilint=$(realpath "$1")
cd "$tmp" || exit 1
py=$(command -v python3 || command -v /usr/bin/python3)
"$py" "$top/tests/import/make_har.py" small rec.har || fail "make_har.py"

"$apilint" har rec.har --base-url https://api.example.invalid/v1 \
  --json out.json --junit out.xml -v >out.txt 2>err.txt
expect_exit 1 $? "apilint har"
# shellcheck disable=SC2016 # jq's $n
jq -r '.endpoints[] | .name as $n | .findings[] | "\($n)\t\(.rule)"' out.json |
  sort >got.findings
printf '%s\t%s\n' \
  "GET /v1/me" unauthorized-without-challenge \
  "GET /v1/users" error-body-on-success \
  "PUT /v1/users/2" content-length-on-no-content \
  "PUT /v1/users/2" no-content-with-body | sort >want.findings
if ! diff -u want.findings got.findings >diff.out; then
  fail "findings differ (- expected, + reported):"
  cat diff.out >&2
fi
jq -e '[.endpoints[].name] == ["GET /v1/users", "GET /v1/me", "GET /v1/health", "GET /v1/cached", "DELETE /v1/users/1", "PUT /v1/users/2"]' out.json >/dev/null ||
  fail "entries kept: $(jq -c '[.endpoints[].name]' out.json)"
line=$(grep -n '"url": "https://api.example.invalid/v1/me"' rec.har | cut -d: -f1)
expect_grep "^rec\.har:$((line - 5)):7: error: GET /v1/me: 401 without WWW-Authenticate" out.txt "finding at the entry's line"
expect_grep '"spec":	"rec\.har:[0-9]+"' out.json "JSON names the HAR line"
for s in har-test-bearer-1a2b3c har-test-cookie-4d5e6f har-test-setcookie-7a8b9c \
  har-test-query-0d1e2f har-test-apikey-3a4b5c; do
  grep -q "$s" rec.har || fail "the recording does not hold $s"
  for f in out.txt err.txt out.json out.xml; do
    expect_no_grep "$s" $f "secret $s printed"
  done
done
expect_grep 'token \*\*\* expired' out.txt "an echoed token is masked in evidence"

# Without --base-url every HTTP(S) entry counts, noise still skipped.
"$apilint" har rec.har -f json >all.json 2>all.err
expect_exit 1 $? "apilint har without --base-url"
jq -e '.endpoints | length == 7' all.json >/dev/null ||
  fail "without --base-url: $(jq -c '[.endpoints[].name]' all.json)"
expect_no_grep 'favicon|data:|chrome-extension|blocked' all.json "noise kept"

# Broken input: a clear error with the position, exit 2.
printf '{"log": {"entries": [\n  {"request": {"method" "GET"}}]}}\n' >broken.har
"$apilint" har broken.har >/dev/null 2>broken.err
expect_exit 2 $? "broken HAR"
expect_grep '^apilint: error: broken\.har:2:[0-9]+: ' broken.err "broken HAR names line:col"
printf '{"entries": []}\n' >nolog.har
"$apilint" har nolog.har >/dev/null 2>nolog.err
expect_exit 2 $? "not a HAR"
expect_grep "nolog\.har:1:1: not a HAR file" nolog.err "not a HAR"
"$apilint" har >/dev/null 2>usage.err
expect_exit 2 $? "har without a file"
finish
