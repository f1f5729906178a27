#!/usr/bin/env bash
# ci/html: the HTML audit report (--html, -f html) of a run against the
# fixture server playing a hostile API (tests/ci/html/replies: markup in a
# body, a status line, a Location header and an endpoint name; a secret
# echoed in a body; a credential query parameter), rendered in headless
# Chromium (Debian's /usr/bin/chromium) by npm puppeteer-core
# (build-tools/node_modules): check_page.js compares the page with the JSON
# report of the same run and checks that it loads nothing, runs nothing it
# was sent, filters and prints. Also: the file holds no secret, -f html
# writes the same page to stdout, and an unwritable --html path is exit 2
# with nothing sent; with --baseline, suppressed, expired and no longer
# occurring entries are shown. With SCREENSHOT=FILE it saves the README's screenshot
# of the page. Skipped (77) without chromium, node or puppeteer-core,
# unless CI is set.
#
#   html.sh APILINT FIXTURE_SERVER
test_name=ci-html
. "$(dirname "${BASH_SOURCE[0]}")/../import/lib.sh"
apilint=$(realpath "$1")
server=$(realpath "$2")
here=$top/tests/ci/html
need_browser
command -v jq >/dev/null || skip_or_fail "jq is not installed"
cd "$tmp" || exit 1

start_fixture "$server" "$here/replies"
export FIXTURE_URL
export HTML_TOKEN=html-bearer-secret-8086
secrets=(html-bearer-secret-8086 html-query-secret-6502)

"$apilint" "$here/spec.yaml" --html report.html --json report.json \
  >run.out 2>run.err
expect_exit 1 $? "the run"
expect_no_grep 'Sanitizer|runtime error' run.err "a sanitizer report"
[ -s report.html ] || {
  fail "no report.html"
  finish
}
for s in "${secrets[@]}"; do
  expect_no_grep "$s" report.html "secret $s in the page"
done
# The server's markup is there, escaped, never as markup.
expect_grep "&lt;script&gt;window.__pwned=&#39;body&#39;&lt;/script&gt;" \
  report.html "the body's <script> escaped"
expect_no_grep "<img|<svg onload|<i>named|<link|<script>window" report.html \
  "server or spec markup unescaped"
expect_grep '^<meta http-equiv="Content-Security-Policy" content="default-src .none.;' \
  report.html "a Content-Security-Policy"
# Nothing outside the file: no URL to fetch in any src/href attribute.
expect_no_grep '(src|href)="[^#"]' report.html "an external reference"

# -f html: the same page on stdout (up to times and the CSP nonce).
"$apilint" "$here/spec.yaml" -f html >stdout.html 2>stdout.err
expect_exit 1 $? "-f html"
norm() { sed -E 's/nonce-?[=\x27"]*[0-9a-f]{32}//g; s/[0-9.]+ (ms|s)\b//g; s/started [^ <]+//; s/&middot; [0-9]+ retried//' "$1"; }
if ! diff <(norm report.html) <(norm stdout.html) >stdout.diff; then
  fail "-f html differs from --html beyond times:"
  head -20 stdout.diff >&2
fi

# An unwritable --html path is a usage error before anything is sent.
lines=$(wc -l <"$FIXTURE_LOG")
"$apilint" "$here/spec.yaml" --html "$tmp/no/such/dir/r.html" >bad.out 2>bad.err
expect_exit 2 $? "--html into a missing directory"
[ "$(wc -l <"$FIXTURE_LOG")" -eq "$lines" ] ||
  fail "requests were sent although --html cannot be written"

# expect REPORT.json OUT.json: what the page must show, from the JSON
# report of the same run (check_page.js reads it).
expect() {
  # shellcheck disable=SC2016 # jq's variables
  jq --arg t1 "<script>window.__pwned='body'</script>" \
    --arg t2 "<script>window.__pwned='reason'</script>" \
    --arg t3 "\"><img src=/beacon.png onerror=window.__pwned='location'>" \
    --arg t4 "<i>named</i> \"><svg onload=window.__pwned='name'>" \
    --argjson secrets "$(printf '%s\n' "${secrets[@]}" | jq -R . | jq -s .)" '
    def fs: [.findings[], (.probes[]?.findings[])];
    {errors: .summary.errors, warnings: .summary.warnings,
     infos: .summary.infos,
     endpoints: [.endpoints[] | {name}],
     findings: ([.endpoints[] | fs | length] | add),
     by_rule: (reduce (.endpoints[] | .name as $n | fs | map(.rule) | unique[]
                       | {rule: ., name: $n}) as $x
                 ({}; .[$x.rule] += [$x.name])),
     shown_text: [$t1, $t2, $t3, $t4],
     suppressed: .summary.suppressed,
     secrets: $secrets}' "$1" >"$2" || fail "jq on $1"
  # Each rule that fired is explained on the page: its "Fix:" line.
  rules=$(jq -r '.by_rule | keys[]' "$2")
  [ "$(wc -w <<<"$rules")" -ge 5 ] || fail "only $(wc -w <<<"$rules") rules fired"
  explain='{}'
  for r in $rules; do
    fix=$("$apilint" explain "$r" | sed -n 's/^  \(Fix: .*\)$/\1/p' | head -1)
    [ -n "$fix" ] || fix=$("$apilint" explain "$r" | sed -n 's/^  summary:  //p')
    # An empty text is on every page (includes("") is true): no check.
    [ -n "$fix" ] || fail "apilint explain $r has neither a 'Fix:' line nor a summary"
    explain=$(jq --arg r "$r" --arg f "$fix" '.[$r] = $f' <<<"$explain")
  done
  jq --argjson e "$explain" '.explained = ($e | keys) | .explain_text = $e' \
    "$2" >"$2.new" && mv "$2.new" "$2"
}
expect report.json expect.json

mkdir profile
NODE_TOOLS=$top/build-tools/node_modules timeout -k 10 120 \
  node "$here/check_page.js" report.html expect.json "$tmp/profile" \
  ${SCREENSHOT:+"$SCREENSHOT"} >check.out 2>&1
rc=$?
cat check.out
[ "$rc" -eq 0 ] || fail "the page in Chromium (exit $rc)"

# With --baseline (tests/ci/html/baseline.yaml): the suppressed finding is
# marked with its reason (escaped), the expired entry's finding says so,
# the entry that no longer occurs is listed; the page passes the same
# checks in Chromium, suppressed findings counted as the JSON counts them.
"$apilint" "$here/spec.yaml" --baseline "$here/baseline.yaml" \
  --html base.html --json base.json >base.out 2>base.err
expect_exit 1 $? "the run with --baseline"
[ "$(jq .summary.suppressed base.json)" = 1 ] ||
  fail "the JSON report does not count 1 suppressed finding"
expect_grep 'id="n-suppressed">1<' base.html "the suppressed count"
[ "$(grep -c 'class="finding [a-z]* suppressed"' base.html)" = 1 ] ||
  fail "not exactly one finding marked suppressed"
expect_grep 'suppressed by the baseline: known &lt;b onmouseover=window.__pwned=&#39;reason&#39;&gt;since&lt;/b&gt; 2025' \
  base.html "the entry's reason, escaped"
expect_grep 'badge expired">baseline entry expired on 2020-01-31' base.html \
  "the expired entry's finding"
[ "$(sed -n '/id="baseline-gone"/,/<\/table>/p' base.html | grep -c '^<tr>')" = \
  "$(jq '.summary.baseline.no_longer_occurring | length' base.json)" ] ||
  fail "the entries that no longer occur differ from the JSON's"
expect_grep '<code>GET /gone</code></td><td>fixed &lt;i&gt;in&lt;/i&gt; 2.0<' \
  base.html "the entry that no longer occurs"
expect base.json expect-base.json
NODE_TOOLS=$top/build-tools/node_modules timeout -k 10 120 \
  node "$here/check_page.js" base.html expect-base.json "$tmp/profile" \
  >check-base.out 2>&1
rc=$?
cat check-base.out
[ "$rc" -eq 0 ] || fail "the --baseline page in Chromium (exit $rc)"
finish "$(jq '.endpoints | length' expect.json) endpoints, $(jq '.findings' expect.json) findings, $(wc -w <<<"$rules") rules checked in Chromium"
