// Conversations worked side by side: an agent owns two at once and switches
// between them, unread counts rise and clear, each side sees the other typing
// and "Seen"; and the shift manager's live view of the floor.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { watchForBreakage } from './lib/browser.mjs';
import { screenshot } from './lib/shots.mjs';
import { goAvailable, PASSWORD, signIn } from './lib/staff.mjs';
import { onPhone, serverAndBrowser } from './lib/suite.mjs';

const LIVE = { timeout: 5000 };

const env = serverAndBrowser();

function desktop(baseURL) {
  return { baseURL, locale: 'en-US', viewport: { width: 1280, height: 800 }, colorScheme: 'light' };
}

/** A shopper asks Part-Dieu while nobody is on its floor: it goes to the remote team. */
async function remoteRequest(note) {
  const stores = await (await fetch(`${env.server.url}/api/v1/stores`)).json();
  const store = stores.find((s) => s.name === 'Helpforce Part-Dieu');
  const { token } = await (await fetch(`${env.server.url}/api/v1/shoppers`, { method: 'POST' })).json();
  const res = await fetch(`${env.server.url}/api/v1/help-requests`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({ department: 'tv', store_id: store.id, note }),
  });
  assert.equal(res.status, 201);
  const created = await res.json();
  assert.equal(created.channel, 'remote');
  return { ...created, token };
}

/** Counts the console's beeps: each is one oscillator made by the page. */
function countBeeps() {
  window.beeps = 0;
  const make = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function createOscillator(...args) {
    window.beeps += 1;
    return make.apply(this, args);
  };
}

test('an agent switches between two conversations; unread, typing and Seen go both ways', async () => {
  const office = await env.browser.newContext(desktop(env.server.url));
  await office.addInitScript(countBeeps);
  const remi = await office.newPage();
  const breakage = watchForBreakage(remi);
  try {
    await signIn(remi, 'remi@example.com');
    await goAvailable(remi);
    await remi.getByRole('link', { name: 'Remote care console' }).click();
    const mine = remi.getByRole('region', { name: 'My conversations' });
    await mine.getByText('You have no open conversation.').waitFor();

    const soundbar = await remoteRequest('Which soundbar for a small room?');
    await remoteRequest('A wall mount for a 65 inch TV?');
    const queue = remi.locator('.queue .card');
    for (const note of ['Which soundbar', 'A wall mount']) {
      await queue.filter({ hasText: note }).getByRole('button', { name: 'Accept' }).click();
      await remi.getByText('You are helping this customer').waitFor();
      await remi.locator('.console-main').getByText(note).waitFor();
    }
    await mine.getByText('2 open conversations.').waitFor(LIVE);
    const first = mine.locator('.card').filter({ hasText: 'Which soundbar' });
    const second = mine.locator('.card').filter({ hasText: 'A wall mount' });
    await second.locator('[aria-current="true"]').waitFor();
    await first.getByText(/Part-Dieu/).waitFor();

    await onPhone(env, 'en-US', async (phone, phoneBreakage, context) => {
      await context.addInitScript((t) => localStorage.setItem('helpforce.shopper', t), soundbar.token);
      await phone.goto(`/help/requests/${soundbar.id}`);
      await phone.getByText(/Rémi Durand from our help team is answering/).waitFor();

      // A message in the conversation not on screen: its count rises, with a beep.
      const box = phone.getByLabel('Message', { exact: true });
      await box.fill('Is the Sonos Arc in stock?');
      await phone.getByRole('button', { name: 'Send' }).click();
      await first.getByText('1 unread').waitFor(LIVE);
      await first.getByText('Customer: Is the Sonos Arc in stock?').waitFor();
      assert.ok(await remi.evaluate(() => window.beeps) >= 1, 'a new message beeps');
      await assertAccessible(remi, 'console, two conversations');
      await screenshot(remi, 'console-conversations');

      // [ opens the earlier conversation; once its message is on screen it is read.
      await remi.keyboard.press('[');
      await first.locator('[aria-current="true"]').waitFor();
      await remi.locator('.console-main .message').filter({ hasText: 'Is the Sonos Arc in stock?' }).scrollIntoViewIfNeeded();
      await first.getByText('1 unread').waitFor({ state: 'detached', ...LIVE });
      await phone.locator('.message.mine').filter({ hasText: 'Is the Sonos Arc' }).getByText('Seen').waitFor(LIVE);

      // The agent writes: the shopper sees it typed, then read.
      const answer = remi.locator('.console-main').getByLabel('Message', { exact: true });
      await answer.pressSequentially('Yes, 3 left');
      await phone.getByText('Rémi Durand is typing…').waitFor(LIVE);
      await answer.press('Control+Enter');
      await phone.locator('.message').filter({ hasText: 'Yes, 3 left' }).waitFor(LIVE);
      await phone.getByText('Rémi Durand is typing…').waitFor({ state: 'detached', ...LIVE });
      await remi.locator('.console-main .message.mine').filter({ hasText: 'Yes, 3 left' }).getByText('Seen').waitFor(LIVE);
      await screenshot(phone, 'shopper-seen-typing');

      // The shopper writes back: "The customer is typing…".
      await box.pressSequentially('Great');
      await remi.getByText('The customer is typing…').waitFor(LIVE);
      assert.deepEqual(phoneBreakage, []);
    });

    // ] and a click switch too (single keys act outside the message box);
    // the open conversation stays put as the queue changes.
    await remi.locator('.console-main').getByLabel('Message', { exact: true }).evaluate((el) => el.blur());
    await remi.keyboard.press(']');
    await second.locator('[aria-current="true"]').waitFor();
    await first.getByRole('button').click();
    await first.locator('[aria-current="true"]').waitFor();
    await remoteRequest('Do you sell HDMI cables?');
    await queue.filter({ hasText: 'HDMI cables' }).waitFor(LIVE);
    await remi.locator('.console-main').getByText('Which soundbar for a small room?').waitFor();
    assert.deepEqual(breakage, []);
  } finally {
    await office.close();
  }
});

/** Signs a demo account in over the API and returns its bearer token. */
async function token(email) {
  const res = await fetch(`${env.server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

test('the shift manager watches the floor live as a member of staff goes on a break', async () => {
  const waiting = await remoteRequest('Where are the OLED TVs?');
  const helped = await remoteRequest('Can someone explain HDR?');
  const zoe = await token('zoe@example.com');
  const accepted = await fetch(`${env.server.url}/api/v1/help-requests/${helped.id}/accept`, {
    method: 'POST', headers: { Authorization: `Bearer ${zoe}` },
  });
  assert.equal(accepted.status, 200);
  const office = await env.browser.newContext(desktop(env.server.url));
  const claire = await office.newPage();
  const breakage = watchForBreakage(claire);
  try {
    await signIn(claire, 'manager.partdieu@example.com');
    await claire.getByRole('link', { name: 'Floor now' }).click();
    await claire.getByRole('heading', { name: 'Floor now', level: 1 }).waitFor();
    const team = claire.getByRole('region', { name: 'Team' });
    const sam = team.locator('li').filter({ hasText: 'Sam Moreau' });
    await sam.getByText('Off shift').waitFor();
    const waitingNow = claire.getByRole('region', { name: 'Waiting now' });
    await waitingNow.locator('.card').filter({ has: claire.getByRole('link', { name: waiting.department_name }) })
      .getByText('With the remote team').first().waitFor();
    const beingHelped = claire.getByRole('region', { name: 'Being helped' });
    await beingHelped.locator('.card').filter({ has: claire.getByRole('link', { name: `Zoé Bernard (remote team) is helping · ${helped.department_name}` }) })
      .getByText(/^(just now|for \d+ min)$/).waitFor();

    await onPhone(env, 'en-US', async (phone, phoneBreakage) => {
      await signIn(phone, 'sam@example.com');
      await goAvailable(phone);
      await sam.getByText('Available').waitFor(LIVE);
      await team.getByText(/^1 of \d+ free to help\.$/).waitFor();
      await phone.getByLabel('On a break', { exact: true }).check();
      await phone.getByText('You are on a break').waitFor();
      await sam.getByText('On a break').waitFor(LIVE);
      await team.getByText(/^0 of \d+ free to help\.$/).waitFor();
      assert.deepEqual(phoneBreakage, []);
    });
    await assertAccessible(claire, 'floor now');
    await screenshot(claire, 'floor-now', { docs: true });
    assert.deepEqual(breakage, []);
  } finally {
    await office.close();
  }
});
