// The remote care console at a desk: an agent takes a remote request with the
// keyboard, answers with a saved reply, holds a product from the chat and
// escalates to the store's manager.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { watchForBreakage } from './lib/browser.mjs';
import { screenshot } from './lib/shots.mjs';
import { goAvailable, signIn } from './lib/staff.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

const LIVE = { timeout: 5000 };

const env = serverAndBrowser();

function desktop(baseURL) {
  return { baseURL, locale: 'en-US', viewport: { width: 1280, height: 800 }, colorScheme: 'light' };
}

/** A shopper asks Part-Dieu while nobody is on the floor: it goes to the remote team. */
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

test('an agent takes a remote request with the keyboard, replies, holds a product and escalates', async () => {
  const office = await env.browser.newContext(desktop(env.server.url));
  const remi = await office.newPage();
  const breakage = watchForBreakage(remi);
  try {
    await signIn(remi, 'remi@example.com');
    await goAvailable(remi);
    await remi.getByRole('link', { name: 'Remote care console' }).click();
    await remi.getByRole('heading', { name: 'Remote care console' }).waitFor();
    await remi.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();

    await remoteRequest('Is the Samsung QLED 55 in stock?');
    const req = await remoteRequest('Can I pick up a Sony TV today?');
    const cards = remi.locator('.queue .card');
    await cards.filter({ hasText: 'Can I pick up a Sony TV today?' }).waitFor(LIVE);
    await remi.getByText('2 customers waiting.').waitFor();
    await assertAccessible(remi, 'console, queue');

    // j moves to the second request, a takes it.
    await remi.keyboard.press('j');
    await remi.locator('.queue .card.selected').filter({ hasText: 'Sony TV' }).waitFor();
    await remi.keyboard.press('k');
    await remi.locator('.queue .card.selected').filter({ hasText: 'Samsung QLED' }).waitFor();
    await remi.keyboard.press('j');
    await remi.keyboard.press('a');
    await remi.getByText('You are helping this customer').waitFor();
    await remi.getByText('1 customer waiting.').waitFor(LIVE);

    // A saved reply goes into the box; Ctrl+Enter sends it.
    await remi.getByRole('button', { name: 'Greeting' }).click();
    const box = remi.getByLabel('Message', { exact: true });
    assert.match(await box.inputValue(), /Hello, I'm from the Helpforce team/);
    await box.press('Control+Enter');
    await remi.locator('.message.mine').filter({ hasText: 'Hello, I\'m from the Helpforce team' }).waitFor();
    // Typing in the box never triggers a single-key shortcut.
    await box.evaluate((el) => el.blur());
    await remi.keyboard.press('/');
    assert.equal(await box.evaluate((el) => el === document.activeElement), true);
    await box.pressSequentially('jake');
    assert.equal(await box.inputValue(), 'jake');
    await box.fill('');
    await box.evaluate((el) => el.blur());

    const lookup = remi.locator('section', { has: remi.getByRole('heading', { name: 'Product lookup' }) });
    await lookup.getByLabel('Search products').fill('Sony');
    const product = lookup.locator('.product').first();
    const name = (await product.getByRole('heading').textContent()).trim();
    await product.getByRole('button', { name: 'Hold for pickup' }).click();
    await lookup.getByText(new RegExp(`^Held: 1 × ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, pickup code`)).waitFor();
    const holds = await (await fetch(`${env.server.url}/api/v1/me/holds`, { headers: { Authorization: `Bearer ${req.token}` } })).json();
    assert.equal(holds.length, 1);
    assert.equal(holds[0].help_request_id, req.id);
    await remi.locator('.message').filter({ hasText: holds[0].pickup_code }).waitFor(LIVE);
    await screenshot(remi, 'console', { docs: true });
    await assertAccessible(remi, 'console, request open');

    await remi.keyboard.press('e');
    const form = remi.locator('form.escalate');
    await form.getByLabel('The store’s shift manager').check();
    await form.getByLabel('Reason').fill('Customer wants a price match');
    await form.getByRole('button', { name: 'Send escalation' }).click();
    await remi.getByText(/^Escalated to Claire Martin: “Customer wants a price match”/).waitFor();
    assert.deepEqual(breakage, []);
  } finally {
    await office.close();
  }
});

test('an administrator keeps the saved replies', async () => {
  const office = await env.browser.newContext(desktop(env.server.url));
  const page = await office.newPage();
  const breakage = watchForBreakage(page);
  try {
    await signIn(page, 'admin@example.com');
    await page.getByRole('link', { name: 'Saved replies' }).click();
    await page.getByRole('heading', { name: 'Saved replies', level: 1 }).waitFor();
    const add = page.locator('section', { has: page.getByRole('heading', { name: 'Add a reply' }) });
    await add.getByRole('button', { name: 'Save reply' }).click();
    await add.getByText('Enter a short title.').waitFor();
    await add.getByLabel('Title').fill('Opening hours');
    await add.getByLabel('Text').fill('We are open 10:00 to 20:00, Monday to Saturday.');
    await add.getByRole('button', { name: 'Save reply' }).click();
    const card = page.locator('.card').filter({ hasText: 'Opening hours' });
    await card.getByRole('button', { name: 'Edit' }).click();
    const editing = page.locator('.card form.reply-form');
    await editing.getByLabel('Text').fill('We are open 10:00 to 21:00, every day.');
    await editing.getByRole('button', { name: 'Save reply' }).click();
    await page.getByText('We are open 10:00 to 21:00, every day.').waitFor();
    await assertAccessible(page, 'saved replies');
    await page.locator('.card').filter({ hasText: 'Opening hours' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('Opening hours').waitFor({ state: 'detached' });
    assert.deepEqual(breakage, []);
  } finally {
    await office.close();
  }
});
