// check_page.js - opens apilint's HTML audit report in headless Chromium
// (Debian's /usr/bin/chromium, never a downloaded browser) through
// puppeteer-core and checks what an auditor sees, against what the JSON
// report of the same run says (EXPECT, written by html.sh with jq):
//   - the counts by severity and the endpoints are those of the JSON report;
//   - the page makes no request but for the file itself (every request is
//     intercepted; any other is refused and counted), with script on, off
//     and when printed;
//   - no markup a server sent became an element, ran, or broke the
//     Content-Security-Policy (violations are recorded from the start);
//   - the filter by rule shows exactly the endpoints with that rule and only
//     its findings; the filter by severity hides that severity;
//   - without script the page is whole (filter hidden, every endpoint and
//     finding shown); printed, the filter is gone and a PDF comes out.
// Prints one line per failed check and exits 1 when any failed.
//
//   NODE_TOOLS=build-tools/node_modules node check_page.js PAGE.html \
//     EXPECT.json PROFILE_DIR [SCREENSHOT.png]
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require(path.join(process.env.NODE_TOOLS, 'puppeteer-core'));

const [page_path, expect_path, profile, shot] = process.argv.slice(2);
const want = JSON.parse(fs.readFileSync(expect_path, 'utf8'));
const file_url = 'file://' + path.resolve(page_path);
let failures = 0;
function check(ok, what) {
  if (!ok) {
    failures++;
    console.log('FAIL: ' + what);
  }
}

// A page on which every request is intercepted and only the report itself
// may load; CSP violations and script errors are recorded from the start.
async function open(browser, opts) {
  const page = await browser.newPage();
  const seen = { other: [], errors: [] };
  await page.setJavaScriptEnabled(opts.js);
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    if (req.url() === file_url) {
      req.continue();
    } else {
      seen.other.push(req.url());
      req.abort();
    }
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  await page.evaluateOnNewDocument(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  });
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(file_url, { waitUntil: 'load', timeout: 30000 });
  return { page, seen };
}

// The elements matching 'sel' that are shown (have a layout box), each as
// 'what': an attribute's value, or 'h3' for the text of its heading.
function shown(page, sel, what) {
  return page.evaluate((s, w) => [...document.querySelectorAll(s)]
    .filter((e) => e.getClientRects().length > 0)
    .map((e) => (w === 'h3' ? e.querySelector('h3').textContent
      : e.getAttribute(w) || '')), sel, what);
}

async function with_script(browser) {
  const { page, seen } = await open(browser, { js: true });
  const got = await page.evaluate(() => ({
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    csp: window.__csp,
    scripts: document.scripts.length,
    images: document.images.length,
    handlers: document.querySelectorAll(
      '[onerror],[onload],[onclick],[onmouseover]').length,
    links: document.querySelectorAll('link,iframe,object,embed').length,
    errors: document.getElementById('n-error').textContent,
    warnings: document.getElementById('n-warning').textContent,
    infos: document.getElementById('n-info').textContent,
    endpoints: document.getElementById('n-endpoints').textContent,
    names: [...document.querySelectorAll('section.ep h3')].map(
      (h) => h.textContent),
    index_rows: document.querySelectorAll('#endpoint-index tbody tr').length,
    text: document.body.innerText,
    html: document.documentElement.outerHTML,
    charts: document.querySelectorAll('svg#chart-rules rect').length,
    filter_shown: !document.getElementById('filter').hidden,
    rule_ids: [...document.querySelectorAll('#f-rule option')].map(
      (o) => o.value).filter(Boolean),
  }));
  check(got.pwned === null, `injected script ran: window.__pwned = ${got.pwned}`);
  check(got.csp.length === 0, `CSP violations: ${got.csp.join('; ')}`);
  check(got.scripts === 1, `${got.scripts} <script> elements, want 1`);
  check(got.images === 0, `${got.images} <img> elements, want 0`);
  check(got.handlers === 0, `${got.handlers} elements with event handlers`);
  check(got.links === 0, `${got.links} link/iframe/object/embed elements`);
  check(got.errors === String(want.errors), `errors ${got.errors}, JSON ${want.errors}`);
  check(got.warnings === String(want.warnings), `warnings ${got.warnings}, JSON ${want.warnings}`);
  check(got.infos === String(want.infos), `infos ${got.infos}, JSON ${want.infos}`);
  check(got.endpoints === String(want.endpoints.length),
    `endpoints ${got.endpoints}, JSON ${want.endpoints.length}`);
  check(got.names.length === want.endpoints.length,
    `${got.names.length} endpoint sections, JSON ${want.endpoints.length}`);
  check(got.index_rows === want.endpoints.length,
    `${got.index_rows} index rows, JSON ${want.endpoints.length}`);
  want.endpoints.forEach((ep, i) => {
    check(got.names[i] !== undefined && got.names[i].includes(ep.name),
      `endpoint ${i + 1} is not "${ep.name}": ${got.names[i]}`);
  });
  // The server's markup is on the page as text, not dropped.
  for (const s of want.shown_text)
    check(got.text.includes(s), `the page does not show the text ${s}`);
  for (const s of want.secrets)
    check(!got.html.includes(s), `secret ${s} is in the page`);
  check(got.text.includes('***'), 'no masked value (***) on the page');
  for (const r of want.explained) {
    const ex = await page.$eval('#rule-' + r, (a) => a.innerText).catch(() => '');
    const fix = want.explain_text[r];
    // ''.includes('') is true: an empty text would pass any page.
    check(typeof fix === 'string' && fix !== '', `rule ${r}: no explain text to look for`);
    check(fix !== '' && ex.includes(fix), `rule ${r} is not explained`);
  }
  const sup = await page.evaluate(() => ({
    card: (document.getElementById('n-suppressed') || {}).textContent,
    marked: document.querySelectorAll('li.finding.suppressed').length,
  }));
  check(sup.marked === want.suppressed,
    `${sup.marked} findings marked suppressed, JSON ${want.suppressed}`);
  check(want.suppressed === 0 ? sup.card === undefined
    : sup.card === String(want.suppressed),
  `suppressed card ${sup.card}, JSON ${want.suppressed}`);
  check(got.charts > 0, 'the chart by rule has no bars');
  check(got.filter_shown, 'the filter is hidden with script on');
  check(JSON.stringify([...got.rule_ids].sort()) ===
    JSON.stringify(Object.keys(want.by_rule).sort()),
    `filter rules ${got.rule_ids} differ from the JSON's ${Object.keys(want.by_rule)}`);

  // Filter by rule: exactly its endpoints, only its findings.
  for (const [rule, names] of Object.entries(want.by_rule)) {
    await page.select('#f-rule', rule);
    const f = {
      eps: await shown(page, 'section.ep', 'h3'),
      findings: await shown(page, 'li.finding', 'data-f'),
      rows: (await shown(page, '#endpoint-index tbody tr', 'data-f')).length,
    };
    check(f.eps.length === names.length && names.every((n, i) => f.eps[i].includes(n)),
      `filter ${rule}: shows ${JSON.stringify(f.eps)}, want ${JSON.stringify(names)}`);
    check(f.rows === names.length, `filter ${rule}: ${f.rows} index rows, want ${names.length}`);
    check(f.findings.length > 0 && f.findings.every((t) => t.endsWith('/' + rule)),
      `filter ${rule}: findings shown ${f.findings}`);
  }
  await page.select('#f-rule', '');
  // The rule table's "filter" link sets the same filter.
  const [first_rule, first_names] = Object.entries(want.by_rule)[0];
  await page.click(`a.only[data-only="${first_rule}"]`);
  const linked = await shown(page, 'section.ep', 'h3');
  check(linked.length === first_names.length,
    `"filter" link of ${first_rule}: ${linked.length} endpoints shown, want ${first_names.length}`);
  await page.select('#f-rule', '');
  // Filter by severity: errors off hides every error.
  await page.click('input[name=sev][value=error]');
  const sev = await shown(page, 'li.finding', 'class');
  check(sev.length > 0 && !sev.some((c) => c.includes('error')),
    `errors unchecked, findings shown: ${sev}`);
  await page.click('#f-reset');
  const all = (await shown(page, 'section.ep', 'id')).length;
  check(all === want.endpoints.length, `after "show all" ${all} endpoints shown`);
  if (shot) {
    await page.setViewport({ width: 1100, height: 1500 });
    await page.screenshot({ path: shot });
  }
  check(seen.other.length === 0, `requests besides the page: ${seen.other}`);
  check(seen.errors.length === 0, `script errors: ${seen.errors}`);
  await page.close();
}

async function without_script(browser) {
  const { page, seen } = await open(browser, { js: false });
  const got = {
    filter: (await shown(page, '#filter', 'id')).length,
    eps: (await shown(page, 'section.ep', 'id')).length,
    findings: (await shown(page, 'li.finding', 'class')).length,
  };
  check(got.filter === 0, 'without script the (useless) filter is shown');
  check(got.eps === want.endpoints.length,
    `without script ${got.eps} endpoints shown, want ${want.endpoints.length}`);
  check(got.findings === want.findings,
    `without script ${got.findings} findings shown, want ${want.findings}`);
  // Printed: no filter, and a PDF comes out.
  await page.emulateMediaType('print');
  const printed = await page.evaluate(() =>
    getComputedStyle(document.getElementById('filter')).display);
  check(printed === 'none', `printed, the filter's display is ${printed}`);
  const pdf = await page.pdf({ format: 'A4' });
  check(pdf.length > 10000, `the printed PDF has ${pdf.length} bytes`);
  check(seen.other.length === 0, `requests besides the page: ${seen.other}`);
  await page.close();
}

async function main() {
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic'],
    protocolTimeout: 30000,
  });
  try {
    await with_script(browser);
    await without_script(browser);
  } finally {
    await browser.close();
  }
  if (failures) {
    console.log(`${failures} check(s) failed`);
    process.exit(1);
  }
  console.log('page ok');
}

main().catch((e) => {
  console.log('FAIL: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
