#!/usr/bin/env bash
# import/chromium-har: a HAR recorded by a real browser. Headless Chromium
# (Debian's /usr/bin/chromium) driven over the DevTools protocol by npm
# puppeteer-core + chrome-har (build-tools/node_modules) visits a page of the
# fixture server whose script calls the API with a bearer token, a session
# cookie and a credential query parameter. `apilint har` of that recording
# must find exactly what the live run of browser/spec.yaml finds against the
# same server, and print none of the secrets the recording holds.
# Skipped (77) without chromium, node or the npm packages, unless CI is set.
#
#   chromium_har.sh APILINT FIXTURE_SERVER
test_name=chromium-har
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apilint=$(realpath "$1")
server=$(realpath "$2")
here=$top/tests/import/browser
need_browser
need_npm chrome-har >/dev/null
command -v jq >/dev/null || skip_or_fail "jq is not installed"
cd "$tmp" || exit 1

start_fixture "$server" "$here/replies"
export FIXTURE_URL

# The live run.
"$apilint" "$here/spec.yaml" --json live.json >live.out 2>live.err
expect_exit 1 $? "live run"

# The browser's visit. A fresh profile; puppeteer closes the browser it
# started, also when the time limit stops node.
mkdir profile
NODE_TOOLS=$top/build-tools/node_modules timeout -k 10 90 \
  node "$here/record_har.js" "$FIXTURE_URL/app.html" rec.har "$tmp/profile" \
  >record.out 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
  fail "recording the HAR failed (exit $rc):"
  cat record.out >&2
  finish
fi
# The recording holds the secrets (else the no-leak checks prove nothing).
for s in har-bearer-secret-8086 har-cookie-secret-5150 har-query-secret-6502; do
  grep -q "$s" rec.har || fail "the recording does not hold $s"
done
expect_grep '"url": "http://127\.0\.0\.1:[0-9]+/app\.html"' rec.har "the page is in the HAR"

"$apilint" har rec.har --base-url "$FIXTURE_URL/api" --json har.json \
  --junit har.xml -v >har.out 2>har.err
expect_exit 1 $? "apilint har"

# shellcheck disable=SC2016 # jq's $n
pairs='.endpoints[] | .name as $n | .findings[] | "\($n)\t\(.rule)"'
jq -r "$pairs" live.json | sort -u >live.findings
jq -r "$pairs" har.json | sort -u >har.findings
[ -s live.findings ] || fail "the live run found nothing"
if ! diff -u live.findings har.findings >diff.out; then
  fail "the HAR's findings differ from the live run's (- live, + har):"
  cat diff.out >&2
fi
for rule in error-body-on-success unauthorized-without-challenge \
  retry-after-missing method-not-allowed-without-allow \
  created-without-location; do
  grep -q "	$rule$" har.findings || fail "the HAR lint misses $rule"
done
# Located at each entry's line in the HAR file.
expect_grep '^rec\.har:[0-9]+:[0-9]+: error: GET /api/private: 401 without WWW-Authenticate' har.out "finding at the entry's line"
# The page itself and the favicon are outside --base-url; nothing is sent.
# The endpoints, not the headers: a Referer names the page.
jq -r '.endpoints[] | .name, .url' har.json > har.endpoints
expect_no_grep 'app\.html|favicon' har.endpoints "entries outside --base-url"
for s in har-bearer-secret-8086 har-cookie-secret-5150 har-query-secret-6502; do
  for f in har.out har.err har.json har.xml; do
    expect_no_grep "$s" $f "secret $s printed"
  done
done
expect_grep 'access_token=\*\*\*' har.json "credential query parameter masked"
finish "$(wc -l <har.findings) findings, as live"
