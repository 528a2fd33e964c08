// Dispatch end to end on the real server: a shopper asks, floor staff take it
// live, they talk, it is resolved and rated; with the floor empty the remote
// team answers and pulls in the store's manager; alerts are turned on honestly.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone, watchForBreakage } from './lib/browser.mjs';
import { screenshot } from './lib/shots.mjs';
import { ADMIN_PASSWORD, goAvailable, signIn } from './lib/staff.mjs';
import { askForHelp, shopperAt } from './lib/shopper.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

// Live means without a reload: well within what a person waits for.
const LIVE = { timeout: 5000 };

const env = serverAndBrowser();

function desktop(baseURL) {
  return { baseURL, locale: 'en-US', viewport: { width: 1280, height: 800 }, colorScheme: 'light' };
}

/** A shopper at Part-Dieu asks for help with TVs, first in line. */
async function askFirst(page, note) {
  await askForHelp(page, note);
  await page.getByText('You’re number 1 in line').waitFor();
}

async function say(page, text) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.locator('.message.mine').filter({ hasText: text }).waitFor();
}

function shopperOptions() {
  return shopperAt(env.server.url);
}

test('a shopper asks, Sam takes it live, they talk, it is resolved and rated', async () => {
  const staff = await env.browser.newContext(phone('en-US', env.server.url));
  const shopper = await env.browser.newContext(shopperOptions());
  const sam = await staff.newPage();
  const shop = await shopper.newPage();
  const breakage = [sam, shop].map(watchForBreakage);
  try {
    await signIn(sam, 'sam@example.com');
    await goAvailable(sam);
    await sam.getByRole('heading', { name: 'Waiting now' }).waitFor();
    await sam.getByText('Nobody is waiting.').waitFor();

    await askFirst(shop, 'Which one fits a 2 m wall?');
    await shop.getByText('Helpforce Part-Dieu — TVs').waitFor();
    await assertAccessible(shop, 'live request, waiting');

    // Sam's queue shows it without a reload, glanceable: department, time, note.
    const card = sam.locator('.queue .card').filter({ hasText: 'Which one fits a 2 m wall?' });
    await card.waitFor(LIVE);
    await card.getByRole('heading', { name: 'TVs' }).waitFor();
    await card.getByText('waiting less than a minute').waitFor();
    await sam.getByText('1 customer waiting.').waitFor();
    await screenshot(sam, 'staff-queue', { docs: true });
    await assertAccessible(sam, 'staff queue');

    await card.getByRole('button', { name: 'Accept' }).tap();
    await sam.waitForURL('**/staff/requests/*');
    await sam.getByText('You are helping this customer').waitFor();
    await shop.getByText('Sam Moreau is on the way').waitFor(LIVE);

    await say(sam, 'On my way, aisle 12');
    const fromSam = shop.locator('.message').filter({ hasText: 'On my way, aisle 12' });
    await fromSam.waitFor(LIVE);
    await fromSam.getByText('Sam Moreau · Store team').waitFor();
    await say(shop, 'Thanks, I’m by the OLED TVs');
    await sam.locator('.message').filter({ hasText: 'Thanks, I’m by the OLED TVs' }).getByText('Customer').waitFor(LIVE);
    await shop.evaluate(() => document.activeElement?.blur());
    await screenshot(shop, 'request-live', { docs: true });
    await assertAccessible(shop, 'live request, assigned with chat');
    await sam.getByRole('listitem').filter({ hasText: 'Accepted' }).waitFor();
    await screenshot(sam, 'staff-request');
    await assertAccessible(sam, 'staff request detail');

    await sam.getByRole('button', { name: 'Resolve' }).tap();
    await sam.getByRole('status').filter({ hasText: 'Resolved' }).waitFor();
    await shop.getByText('Your request is resolved').waitFor(LIVE);
    const rating = shop.getByRole('group', { name: 'How did we do?' });
    assert.equal(await rating.getByRole('radio').count(), 5);
    await rating.getByLabel('5 — Excellent').check();
    await shop.getByLabel('Comment (optional)').fill('Quick and friendly.');
    await shop.getByRole('button', { name: 'Send rating' }).tap();
    await shop.getByText('Thanks — your rating helps the team.').waitFor();
    await screenshot(shop, 'request-rated');

    // Sam goes off shift, so the next request finds nobody on the floor.
    await sam.goto('/staff');
    await sam.getByLabel('Off shift', { exact: true }).check();
    await sam.getByText('You are off shift').waitFor();
    assert.deepEqual(breakage.flat(), []);
  } finally {
    await staff.close();
    await shopper.close();
  }
});

test('with nobody on the floor the remote team answers and escalates to the manager', async () => {
  // The shopper's event stream is cut, so its updates must come by polling.
  const shopper = await env.browser.newContext({ ...shopperOptions(), serviceWorkers: 'block', colorScheme: 'dark' });
  const office = await env.browser.newContext(desktop(env.server.url));
  const store = await env.browser.newContext(phone('en-US', env.server.url));
  const shop = await shopper.newPage();
  const remi = await office.newPage();
  const claire = await store.newPage();
  const breakage = [shop, remi, claire].map(watchForBreakage);
  try {
    await shop.route('**/api/v1/help-requests/*/events*', (route) => route.abort('connectionfailed'));
    await askFirst(shop, 'Is the OLED 55 in stock?');
    await shop.getByText('Nobody at our help desk is free right now — you’ll get an answer as soon as someone is.').waitFor();
    await shop.getByText('Live updates paused — retrying').waitFor();

    await signIn(remi, 'remi@example.com');
    await goAvailable(remi);
    const card = remi.locator('.queue .card').filter({ hasText: 'Is the OLED 55 in stock?' });
    await card.getByText('Helpforce Part-Dieu').waitFor(LIVE);
    await card.getByRole('button', { name: 'Accept' }).click();
    await remi.getByText('You are helping this customer').waitFor();
    await remi.getByText('Remote help team').waitFor();
    // Polling every 5 s: a little more than one round.
    await shop.getByText('Rémi Durand from our help team is answering').waitFor({ timeout: 8000 });

    await say(remi, 'Let me check with the store.');
    await shop.getByText('Let me check with the store.').waitFor({ timeout: 8000 });
    await screenshot(shop, 'request-live-remote-dark');
    await assertAccessible(shop, 'live request from the remote team, dark, polling');

    await remi.getByRole('button', { name: 'Escalate' }).click();
    const form = remi.locator('form.escalate');
    assert.deepEqual(await form.getByRole('radio').evaluateAll((rs) => rs.map((r) => r.value)), ['floor', 'manager']);
    await form.getByRole('button', { name: 'Send escalation' }).click();
    await form.getByText('Say why, for the hand-off log.').waitFor();
    await form.getByLabel('The store’s shift manager').check();
    await form.getByLabel('Reason').fill('Price match on the OLED 55');
    await assertAccessible(remi, 'staff request detail, escalating');
    await form.getByRole('button', { name: 'Send escalation' }).click();
    await remi.getByText('Escalated to Claire Martin: “Price match on the OLED 55” — not acknowledged yet').waitFor();

    await signIn(claire, 'manager.partdieu@example.com');
    const escalation = claire.locator('.escalation').filter({ hasText: 'Price match on the OLED 55' });
    await escalation.getByText('From Rémi Durand').waitFor();
    await screenshot(claire, 'staff-escalation');
    await assertAccessible(claire, 'manager with an escalation');
    await escalation.getByRole('button', { name: 'Acknowledge' }).tap();
    await claire.getByText('No escalations waiting for you.').waitFor();

    await remi.getByText('Escalated to Claire Martin: “Price match on the OLED 55” — acknowledged').waitFor(LIVE);
    const log = remi.locator('.handoff-log');
    for (const kind of ['Created', 'Sent to the remote team', 'Accepted', 'Escalated', 'Acknowledged']) {
      await log.getByRole('listitem').filter({ has: remi.getByText(kind, { exact: true }) }).first().waitFor(LIVE);
    }
    await log.getByText(/Price match on the OLED 55/).first().waitFor();
    await screenshot(remi, 'staff-request-remote');
    assert.deepEqual(breakage.flat(), []);
  } finally {
    await shopper.close();
    await office.close();
    await store.close();
  }
});

test('a shopper placed in the wrong store moves the request to the right one', async () => {
  const api = async (path, token, body) => {
    const res = await fetch(`${env.server.url}/api/v1${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
    return res.json();
  };
  // The demo stores are too far apart for an honest doubt, so the chain opens
  // a small annex 300 m east of Part-Dieu; a phone between the two, its fix
  // reaching both, is placed in the nearer and may move to the other.
  const admin = (await api('/auth/login', '', { email: 'admin@example.com', password: ADMIN_PASSWORD })).token;
  const annex = await api('/stores', admin, { name: 'Helpforce Part-Dieu Annex', timezone: 'Europe/Paris',
    address: 'Rue Garibaldi, Lyon', location: { lat: 45.7611, lng: 4.8595 }, radius_m: 40 });
  await api(`/stores/${annex.id}/departments`, admin, { code: 'tv', name: 'TVs' });
  const { token } = await api('/shoppers', '', {});
  const created = await api('/help-requests', token, { department: 'tv', lat: 45.7611, lng: 4.8570, accuracy: 150 });
  assert.equal(created.store.name, 'Helpforce Part-Dieu');
  assert.ok(created.nearby.some((n) => n.store.id === annex.id), 'the annex is among the stores offered');

  const context = await env.browser.newContext({ ...phone('en-US', env.server.url), serviceWorkers: 'block' });
  await context.addInitScript((t) => localStorage.setItem('helpforce.shopper', t), token);
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  try {
    await page.goto(`/help/requests/${created.id}`);
    await page.getByText('Helpforce Part-Dieu — TVs').waitFor();
    const notHere = page.getByRole('button', { name: 'Not Helpforce Part-Dieu?' });
    assert.equal(await notHere.getAttribute('aria-expanded'), 'false');
    await notHere.tap();
    await page.getByRole('button', { name: /Helpforce Part-Dieu Annex/ }).tap();
    await page.getByText('Helpforce Part-Dieu Annex — TVs').waitFor();
    assert.equal(await notHere.isVisible(), false);

    const stored = await (await fetch(`${env.server.url}/api/v1/help-requests/${created.id}`, {
      headers: { Authorization: `Bearer ${token}` },
    })).json();
    assert.equal(stored.store.id, annex.id);
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
});
