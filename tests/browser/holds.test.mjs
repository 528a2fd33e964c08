// Hold for pickup end to end: a shopper holds a product from the live request,
// sees the pickup code and QR; Sam fetches it from the pick list, marks it
// ready and hands it over after checking the code; stock is never oversold.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone, watchForBreakage } from './lib/browser.mjs';
import { screenshot } from './lib/shots.mjs';
import { signIn } from './lib/staff.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

let partDieu;
const env = serverAndBrowser(async ({ server }) => {
  const stores = await (await fetch(`${server.url}/api/v1/stores`)).json();
  partDieu = stores.find((s) => s.name === 'Helpforce Part-Dieu');
});

/** A shopper with a help request open at Part-Dieu, on its live screen. */
async function shopperWithRequest() {
  const { token } = await (await fetch(`${env.server.url}/api/v1/shoppers`, { method: 'POST' })).json();
  const created = await (await fetch(`${env.server.url}/api/v1/help-requests`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({ department: 'phones', store_id: partDieu.id, note: 'Do you have the iPhone 16?' }),
  })).json();
  const context = await env.browser.newContext({ ...phone('en-US', env.server.url), serviceWorkers: 'block' });
  await context.addInitScript((t) => localStorage.setItem('helpforce.shopper', t), token);
  const page = await context.newPage();
  await page.goto(`/help/requests/${created.id}`);
  return { context, page };
}

async function findProduct(page, query, name) {
  await page.getByRole('link', { name: 'Products' }).tap();
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  await page.getByLabel('Search products').fill(query);
  const card = page.locator('.product').filter({ has: page.getByRole('heading', { name, exact: true }) });
  await card.waitFor();
  return card;
}

test('a shopper holds a product; Sam fetches it and hands it over against the code', async () => {
  const { context, page } = await shopperWithRequest();
  const staff = await env.browser.newContext(phone('en-US', env.server.url));
  const sam = await staff.newPage();
  const breakage = [page, sam].map(watchForBreakage);
  try {
    const card = await findProduct(page, 'iphone 16 128', 'iPhone 16 128 GB');
    await card.getByText('5 available').waitFor();
    assert.equal(await card.getByLabel('Quantity').inputValue(), '1');
    await card.getByRole('button', { name: 'Hold for pickup' }).tap();

    await page.waitForURL('**/holds/*');
    await page.getByRole('heading', { name: 'Your hold' }).waitFor();
    await page.getByText('1 × iPhone 16 128 GB').waitFor();
    await page.getByText('Held for you — the team is getting it ready').waitFor();
    await page.getByText(/^tomorrow at |^today at /).waitFor();
    const code = (await page.locator('.pickup-code').textContent()).trim();
    assert.match(code, /^[A-Z0-9]{4,12}$/);
    const qr = page.getByRole('img', { name: `QR code of pickup code ${code}` });
    await qr.waitFor();
    assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR image loads');
    await screenshot(page, 'hold', { docs: true });
    await assertAccessible(page, 'hold screen');

    await signIn(sam, 'sam@example.com');
    await sam.getByRole('link', { name: 'Pick list' }).tap();
    const held = sam.locator('.hold-card').filter({ hasText: `Code ${code}` });
    await held.getByText('1 × iPhone 16 128 GB').waitFor();
    await screenshot(sam, 'pick-list');
    await assertAccessible(sam, 'pick list');
    await held.getByRole('button', { name: 'Ready at the pickup desk' }).tap();
    await sam.locator('section', { has: sam.getByRole('heading', { name: 'Ready at the pickup desk' }) })
      .getByText(`Code ${code}`).waitFor();
    await page.reload();
    await page.getByText('Ready at the pickup desk').waitFor();

    await sam.getByRole('link', { name: 'Pickup' }).tap();
    await sam.getByRole('heading', { name: 'Pickup' }).waitFor();
    await sam.getByLabel('Pickup code').fill('ZZZZZZ');
    await sam.getByRole('button', { name: 'Find the hold' }).tap();
    await sam.getByText('No open hold has this code — check it with the customer.').waitFor();
    assert.equal(await sam.getByLabel('Pickup code').getAttribute('aria-invalid'), 'true');
    await sam.getByLabel('Pickup code').fill(code.toLowerCase());
    await sam.getByRole('button', { name: 'Find the hold' }).tap();
    await sam.getByText('1 × iPhone 16 128 GB').waitFor();
    await assertAccessible(sam, 'pickup desk');
    await sam.getByRole('button', { name: 'Hand over' }).tap();
    await sam.getByText('Handed over: 1 × iPhone 16 128 GB. Done.').waitFor();
    await screenshot(sam, 'pickup-done');

    await page.reload();
    await page.getByText(/^Picked up today at /).waitFor();
    await page.getByRole('link', { name: 'My holds' }).tap();
    await page.locator('.card').filter({ hasText: 'iPhone 16 128 GB' }).getByText(/^Picked up/).waitFor();
    assert.deepEqual(breakage.flat(), []);
  } finally {
    await context.close();
    await staff.close();
  }
});

test('holding more than is available says how many there are', async () => {
  const { context, page } = await shopperWithRequest();
  const breakage = watchForBreakage(page);
  try {
    const card = await findProduct(page, 'Nespresso', 'Nespresso Vertuo Pop');
    await card.getByText('1 available').waitFor();
    // The stepper stops at what is available; someone else takes it meanwhile.
    assert.equal(await card.getByRole('button', { name: 'One more' }).isDisabled(), true);
    const { token } = await (await fetch(`${env.server.url}/api/v1/shoppers`, { method: 'POST' })).json();
    const other = await fetch(`${env.server.url}/api/v1/holds`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ store_id: partDieu.id, sku: 'AP-NES-VERTUO', quantity: 1 }),
    });
    assert.equal(other.status, 201);
    await card.getByRole('button', { name: 'Hold for pickup' }).tap();
    await card.getByText('Only 0 available — you asked for 1. Choose fewer.').waitFor();
    await screenshot(page, 'hold-not-enough');
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
});
