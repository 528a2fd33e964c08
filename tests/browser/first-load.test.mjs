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
// phone would. A page within budget in any of a few runs is within budget;
// each run's figures are printed when none is.
const RUNS = 5;

function withinBudget(r) {
  return r.transferredBytes <= BUDGET.transferredBytes && r.lcpMs <= BUDGET.lcpMs &&
    r.performance >= BUDGET.performance && r.accessibility === BUDGET.accessibility;
}

function figures(r) {
  return `${(r.transferredBytes / 1024).toFixed(1)} KB, LCP ${Math.round(r.lcpMs)} ms, FCP ${Math.round(r.fcpMs)} ms, ` +
    `performance ${Math.round(r.performance * 100)}, accessibility ${Math.round(r.accessibility * 100)} ` +
    `(TBT ${Math.round(r.tbtMs)} ms, CPU factor ${r.cpuSlowdownMultiplier.toFixed(1)})`;
}

async function assertWithinBudget(url) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await firstLoad(url);
    // Bytes do not depend on the machine: every run must keep to them.
    assert.ok(r.transferredBytes <= BUDGET.transferredBytes,
      `${url}: ${r.transferredBytes} bytes transferred, budget ${BUDGET.transferredBytes}:\n` +
      r.requests.map((q) => `  ${q.transferSize}\t${q.url}`).join('\n'));
    runs.push(r);
    if (withinBudget(r)) {
      console.log(`${new URL(url).pathname}${new URL(url).search}: ${figures(r)}`);
      return r;
    }
  }
  assert.fail(`${url} is over budget in ${RUNS} runs:\n${runs.map((r) => `  ${figures(r)}`).join('\n')}`);
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

test('the start page loads within the first-load budget', async () => {
  const r = await assertWithinBudget(`${env.server.url}/`);
  // Only the active language's strings, and nothing of the staff app.
  const paths = r.requests.map((q) => new URL(q.url).pathname);
  assert.ok(paths.includes('/i18n/en.js'), paths.join(' '));
  assert.deepEqual(paths.filter((p) => p.startsWith('/i18n/fr') || /staff|console|desk|signin/.test(p)), []);
});

test('the page a shelf QR code opens loads within the first-load budget', async () => {
  const r = await assertWithinBudget(`${env.server.url}/help?spot=${encodeURIComponent(env.spot)}`);
  const paths = r.requests.map((q) => new URL(q.url).pathname);
  assert.ok(paths.includes(`/api/v1/spots/${env.spot}`), 'the page asked for the shelf code it was opened with');
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
