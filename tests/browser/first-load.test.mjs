// A shopper's first minute on one bar of signal: the start page and the page a
// shelf QR code opens stay within the first-load budget, as Lighthouse measures
// it on an emulated mid-range phone over slow 4G (simulated throttling).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstLoad } from './lib/lighthouse.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

const PASSWORD = 'helpforce-demo';

const BUDGET = {
  transferredBytes: 60 * 1024,
  lcpMs: 2000,
  performance: 0.95,
  accessibility: 1,
};

// Simulated throttling models the network, but it scales the main-thread time
// it observes, and a busy test machine lends the page less of its CPU than a
// phone would. Bytes and accessibility do not depend on the machine, so every
// run keeps to them; LCP and the performance score do, so the best of a few
// runs is what is judged, and every run's figures are printed.
const RUNS = 5;

function figures(r) {
  return `${(r.transferredBytes / 1024).toFixed(1)} KB, LCP ${Math.round(r.lcpMs)} ms, FCP ${Math.round(r.fcpMs)} ms, ` +
    `performance ${Math.round(r.performance * 100)}, accessibility ${Math.round(r.accessibility * 100)} ` +
    `(TBT ${Math.round(r.tbtMs)} ms, CPU factor ${r.cpuSlowdownMultiplier.toFixed(1)})`;
}

/**
 * Loads url up to RUNS times, stopping at the first run within what is judged,
 * and returns the last run.
 */
async function measure(t, url) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await firstLoad(url);
    t.diagnostic(`run ${i + 1}: ${figures(r)}`);
    assert.ok(r.transferredBytes <= BUDGET.transferredBytes,
      `${url}: ${r.transferredBytes} bytes transferred, budget ${BUDGET.transferredBytes}:\n` +
      r.requests.map((q) => `  ${q.transferSize}\t${q.url}`).join('\n'));
    assert.equal(r.accessibility, BUDGET.accessibility, `${url}: accessibility ${r.accessibility}`);
    runs.push(r);
    if (r.lcpMs <= BUDGET.lcpMs && r.performance >= BUDGET.performance) break;
  }
  const best = (key, pick) => pick(...runs.map((r) => r[key]));
  const tries = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
  const lcpMs = best('lcpMs', Math.min);
  const performance = best('performance', Math.max);
  assert.ok(lcpMs <= BUDGET.lcpMs, `${url}: LCP over ${BUDGET.lcpMs} ms in ${tries}`);
  assert.ok(performance >= BUDGET.performance, `${url}: performance under ${BUDGET.performance * 100} in ${tries}`);
  return runs.at(-1);
}

const env = serverAndBrowser(async (e) => {
  // A real shelf code, made the way a manager makes one.
  const login = await fetch(`${e.server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'manager.partdieu@example.com', password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  const { token, user } = await login.json();
  const res = await fetch(`${e.server.url}/api/v1/stores/${user.store_id}/spots`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ department: 'tv', label: 'Aisle 12 — TVs' }),
  });
  assert.equal(res.status, 201);
  e.spot = (await res.json()).code;
});

test('the start page loads within the first-load budget', async (t) => {
  const r = await measure(t, `${env.server.url}/`);
  // Only the active language's strings, and nothing of the staff app.
  const paths = r.requests.map((q) => new URL(q.url).pathname);
  assert.ok(paths.includes('/i18n/en.js'), paths.join(' '));
  assert.deepEqual(paths.filter((p) => p.startsWith('/i18n/fr') || /staff|console|desk|signin/.test(p)), []);
});

// The shelf page is judged as the start page is: bytes and accessibility on
// every run, LCP and the performance score on the best of a few runs.
test('the page a shelf QR code opens loads within the first-load budget', async (t) => {
  const r = await measure(t, `${env.server.url}/help?spot=${encodeURIComponent(env.spot)}`);
  const paths = r.requests.map((q) => new URL(q.url).pathname);
  assert.ok(paths.includes(`/api/v1/spots/${env.spot}`), 'the page asked for the shelf code it was opened with');
  // Nothing the request form does not show: the chat, photos, product search
  // and the alerts code load when their screens open.
  const later = ['/js/chat.js', '/js/photos.js', '/js/products.js', '/js/alerts.js', '/js/screens/live.js'];
  assert.deepEqual(paths.filter((p) => later.includes(p)), []);
});

test('text files arrive compressed and revalidate with 304', async () => {
  for (const path of ['/', '/js/app.js', '/css/app.css', '/i18n/en.js']) {
    const res = await fetch(`${env.server.url}${path}`, { headers: { 'Accept-Encoding': 'br, gzip' } });
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-encoding'), 'br', path);
    assert.match(res.headers.get('vary') || '', /Accept-Encoding/, path);
    const etag = res.headers.get('etag');
    await res.arrayBuffer();
    const again = await fetch(`${env.server.url}${path}`, { headers: { 'Accept-Encoding': 'br, gzip', 'If-None-Match': etag } });
    assert.equal(again.status, 304, path);
  }
});
