#!/usr/bin/env bash
# Remakes docs/screenshots/html-report.png, the README's picture of the HTML
# audit report: the demo API (specs/demo.yaml against the fixture server
# serving specs/demo.replies on 127.0.0.1) linted with --html, the page shown
# by headless Chromium. Needs a build in build/ (apilint, fixture_server).
#
#   bash tests/ci/html/screenshot.sh [OUT.png]
test_name=html-screenshot
. "$(dirname "${BASH_SOURCE[0]}")/../../import/lib.sh"
out=$(realpath -m "${1:-$top/docs/screenshots/html-report.png}")
need_browser
start_fixture "$top/build/tests/fixture_server" "$top/specs/demo.replies"
cd "$top" || exit 1
DEMO_URL=$FIXTURE_URL ./build/apilint specs/demo.yaml --html "$tmp/demo.html" \
  >/dev/null 2>&1
[ -s "$tmp/demo.html" ] || { fail "no report written"; finish; }
mkdir -p "$(dirname "$out")" "$tmp/profile"
NODE_TOOLS=$top/build-tools/node_modules timeout -k 10 60 \
  node "$top/tests/ci/html/screenshot.js" "$tmp/demo.html" "$out" \
  "$tmp/profile" || fail "the screenshot failed"
finish "$out"
