// screenshot.js - a PNG of the top of an HTML report as headless Chromium
// (Debian's /usr/bin/chromium, through puppeteer-core) shows it; the page
// may load nothing but itself (every other request is refused).
//
//   NODE_TOOLS=build-tools/node_modules node screenshot.js PAGE.html OUT.png PROFILE_DIR
'use strict';
const path = require('path');
const puppeteer = require(path.join(process.env.NODE_TOOLS, 'puppeteer-core'));
const [page_path, out, profile] = process.argv.slice(2);
const url = 'file://' + path.resolve(page_path);

(async () => {
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true, userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update',
      '--hide-scrollbars'],
  });
  try {
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (r) => (r.url() === url ? r.continue() : r.abort()));
    await page.setViewport({ width: 1100, height: 1300, deviceScaleFactor: 1 });
    await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    await page.screenshot({ path: out });
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
