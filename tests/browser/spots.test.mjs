// Shelf QR codes: a manager makes one, prints the sheet, and a shopper who scans
// it lands on the request for that department without sharing a location.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone, watchForBreakage } from './lib/browser.mjs';
import { countLocationRequests, locationRequests } from './lib/location.mjs';
import { screenshot } from './lib/shots.mjs';
import { ADMIN_PASSWORD, PASSWORD } from './lib/staff.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

const env = serverAndBrowser();

test('a manager makes a shelf QR code that opens the request without location', async () => {
  const context = await env.browser.newContext({ ...phone('en-US', env.server.url), viewport: { width: 430, height: 932 } });
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  let spotURL;
  try {
    const login = await context.request.post('/api/v1/auth/login', {
      data: { email: 'manager.partdieu@example.com', password: PASSWORD },
    });
    assert.equal(login.status(), 200);
    const { token, user } = await login.json();

    await page.goto('/staff');
    await page.getByRole('link', { name: 'Shelf QR codes' }).tap();
    await page.getByRole('heading', { name: 'Shelf QR codes' }).waitFor();
    await page.getByText('No QR codes yet').waitFor();

    // Mistakes are said next to their field, before anything is sent.
    await page.getByRole('button', { name: 'Create QR code' }).tap();
    await page.getByText('Choose a department.').waitFor();
    await page.getByText('Enter a label, like “Aisle 12 — TVs”.').waitFor();
    assert.equal(await page.getByLabel('Label', { exact: true }).getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Department').selectOption({ label: 'TVs' });
    await page.getByLabel('Label', { exact: true }).fill('Aisle 12 — TVs');
    await page.getByRole('button', { name: 'Create QR code' }).tap();
    await page.getByRole('status').filter({ hasText: 'QR code created for “Aisle 12 — TVs”.' }).waitFor();
    const qr = page.getByRole('img', { name: 'Aisle 12 — TVs' });
    await qr.waitFor();
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    spotURL = await page.locator('.spot-url a').first().getAttribute('href');
    assert.match(spotURL, /\/help\?spot=[a-z0-9]+$/);
    await screenshot(page, 'spots');
    await assertAccessible(page, 'shelf QR codes');

    // Two more, made directly, so the sheet shows how labels tile on a page.
    for (const [department, label] of [['phones', 'Aisle 3 — Phones'], ['gaming', 'Aisle 7 — Gaming']]) {
      const made = await fetch(`${env.server.url}/api/v1/stores/${user.store_id}/spots`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ department, label }),
      });
      assert.equal(made.status, 201, label);
    }

    await page.getByRole('link', { name: 'Print sheet' }).tap();
    await page.getByRole('heading', { name: 'QR codes for Helpforce Part-Dieu' }).waitFor();
    await page.getByText('3 QR codes.').waitFor();
    const printed = page.getByRole('img', { name: 'Aisle 12 — TVs' });
    await printed.waitFor();
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    assert.ok(await printed.isVisible());
    const card = page.locator('.qr-card').filter({ has: printed });
    for (const line of ['Helpforce Part-Dieu', 'TVs', 'Aisle 12 — TVs', 'Scan for help']) {
      await card.getByText(line, { exact: true }).waitFor();
    }
    await page.getByRole('button', { name: 'Print' }).waitFor();
    await page.setViewportSize({ width: 1024, height: 800 });
    await screenshot(page, 'spots-sheet', { docs: true });

    // On paper: the labels only, no app bar and no buttons.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.bar').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Print' }).isVisible(), false);
    assert.ok(await printed.isVisible());
    await screenshot(page, 'spots-sheet-print');
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }

  // A shopper scans it: a fresh phone, no permissions granted, no location asked.
  const shopper = await env.browser.newContext(phone('en-US', env.server.url));
  await shopper.addInitScript(countLocationRequests);
  const phonePage = await shopper.newPage();
  const shopperBreakage = watchForBreakage(phonePage);
  try {
    await phonePage.goto(spotURL);
    await phonePage.getByRole('heading', { name: 'Your request' }).waitFor();
    await phonePage.getByText('Helpforce Part-Dieu — TVs, Aisle 12 — TVs').waitFor();
    assert.equal(await phonePage.getByLabel('Department').inputValue(), 'tv');
    // The shelf code places the request: no location needed to send it either.
    await phonePage.getByRole('button', { name: 'Send' }).tap();
    await phonePage.waitForURL('**/help/requests/*');
    await phonePage.getByText('You’re number 1 in line').waitFor();
    await phonePage.getByText('Helpforce Part-Dieu — TVs').waitFor();
    assert.equal(await locationRequests(phonePage), 0);

    await phonePage.goto('/help?spot=zzzzzzzzzzzz');
    await phonePage.getByRole('heading', { name: 'We don’t recognise this code' }).waitFor();
    await phonePage.getByText('The shelf code “zzzzzzzzzzzz” is not recognised').waitFor();
    await phonePage.getByLabel('Search stores by name').waitFor();
    assert.equal(await locationRequests(phonePage), 0);
    assert.deepEqual(shopperBreakage, []);
  } finally {
    await shopper.close();
  }
});

test('an admin picks the store; floor staff cannot open shelf QR codes', async () => {
  const context = await env.browser.newContext({ ...phone('fr-FR', env.server.url), serviceWorkers: 'block' });
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  try {
    const admin = await context.request.post('/api/v1/auth/login', { data: { email: 'admin@example.com', password: ADMIN_PASSWORD } });
    assert.equal(admin.status(), 200);
    await page.goto('/staff/spots');
    await page.getByRole('heading', { name: 'QR codes de rayon' }).waitFor();
    await page.getByLabel('Magasin').selectOption({ label: 'Helpforce Confluence' });
    await page.waitForURL(/\/staff\/spots\?store=/);
    await page.getByLabel('Rayon').selectOption({ label: 'Gaming' });
    await page.getByLabel('Libellé', { exact: true }).fill('Allée 4 — Jeux');
    await page.getByRole('button', { name: 'Créer le QR code' }).tap();
    await page.getByRole('img', { name: 'Allée 4 — Jeux' }).waitFor();
    await page.getByRole('link', { name: 'Feuille à imprimer' }).tap();
    await page.getByRole('heading', { name: 'QR codes de Helpforce Confluence' }).waitFor();
    await page.getByText('Scannez pour de l’aide').waitFor();

    await context.request.post('/api/v1/auth/logout', { headers: { 'X-CSRF-Token': (await admin.json()).csrf_token } });
    const floor = await context.request.post('/api/v1/auth/login', { data: { email: 'sam@example.com', password: PASSWORD } });
    assert.equal(floor.status(), 200);
    await page.goto('/staff');
    await page.getByRole('heading', { name: /Sam/ }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'QR codes de rayon' }).count(), 0);
    await page.goto('/staff/spots');
    await page.getByRole('alert').filter({ hasText: 'Seuls les responsables et les administrateurs' }).waitFor();
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
});
