// record_har.js - opens one page in headless Chromium (Debian's
// /usr/bin/chromium, never a downloaded browser) through puppeteer-core,
// collects the DevTools protocol's Page and Network events, and turns them
// into a HAR with chrome-har, response bodies included.
//
//   NODE_TOOLS=build-tools/node_modules node record_har.js URL OUT.har PROFILE_DIR
//
// The page signals that it is finished by setting window.apilintDone; the
// wait for it is bounded.
'use strict';
const fs = require('fs');
const path = require('path');
const tools = process.env.NODE_TOOLS;
const puppeteer = require(path.join(tools, 'puppeteer-core'));
const { harFromMessages } = require(path.join(tools, 'chrome-har'));

const [url, out, profile] = process.argv.slice(2);

const observed = [
  'Page.loadEventFired', 'Page.domContentEventFired',
  'Page.frameStartedLoading', 'Page.frameAttached',
  'Page.frameScheduledNavigation', 'Page.frameRequestedNavigation',
  'Network.requestWillBeSent', 'Network.requestServedFromCache',
  'Network.dataReceived', 'Network.responseReceived',
  'Network.resourceChangedPriority', 'Network.loadingFinished',
  'Network.loadingFailed', 'Network.requestWillBeSentExtraInfo',
  'Network.responseReceivedExtraInfo',
];

async function main() {
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
    protocolTimeout: 30000,
  });
  try {
    const page = await browser.newPage();
    const client = await page.createCDPSession();
    const events = [];
    const bodies = [];
    const got = {}; // requestId -> {body, base64Encoded}
    for (const method of observed) {
      client.on(method, (params) => {
        events.push({ method, params });
        if (method === 'Network.loadingFinished') {
          bodies.push(client.send('Network.getResponseBody',
            { requestId: params.requestId })
            .then((r) => { got[params.requestId] = r; })
            .catch(() => {}));
        }
      });
    }
    await client.send('Page.enable');
    await client.send('Network.enable');
    await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    await page.waitForFunction('window.apilintDone === true',
      { timeout: 30000 });
    // The page is done, but the protocol's events may still be on their
    // way: wait (bounded) until every request has finished or failed, then
    // for the bodies asked for.
    const settled = () => {
      const started = new Set(), ended = new Set();
      for (const e of events) {
        if (e.method === 'Network.requestWillBeSent')
          started.add(e.params.requestId);
        else if (e.method === 'Network.loadingFinished' ||
                 e.method === 'Network.loadingFailed')
          ended.add(e.params.requestId);
      }
      return [...started].every((id) => ended.has(id));
    };
    for (let i = 0; i < 200 && !settled(); i++)
      await new Promise((r) => setTimeout(r, 50));
    if (!settled()) // the comparison with the live run will say what is missing
      console.error('record_har: requests still unfinished after 10 s');
    await Promise.all(bodies);
    // chrome-har reads the body from the response event (it is not part of
    // the protocol's Response type): put each one there.
    for (const e of events) {
      const r = e.method === 'Network.responseReceived' && got[e.params.requestId];
      if (r) {
        e.params.response.body = r.body;
        if (r.base64Encoded)
          e.params.response.encoding = 'base64';
      }
    }
    const har = harFromMessages(events, { includeTextFromResponseBody: true });
    fs.writeFileSync(out, JSON.stringify(har, null, 2));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`record_har: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
