// A shift manager's team and request history on a phone: adding floor staff,
// changing what they cover, deactivating and reactivating them, and reading a
// request's hand-off log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { screenshot } from './lib/shots.mjs';
import { signIn } from './lib/staff.mjs';
import { onPhone, serverAndBrowser } from './lib/suite.mjs';

const env = serverAndBrowser();

test('a manager adds floor staff, edits their skills, deactivates and reactivates them', async () => {
  await onPhone(env, 'en-US', async (page, breakage) => {
    await signIn(page, 'manager.partdieu@example.com');
    await page.getByRole('link', { name: 'Staff' }).tap();
    await page.getByRole('heading', { name: 'Staff', level: 1 }).waitFor();
    await page.getByText('Sam Moreau').waitFor();
    await assertAccessible(page, 'staff');

    const add = page.getByRole('button', { name: 'Add floor staff' });
    await add.tap();
    await page.getByText('Enter their name.').waitFor();
    assert.equal(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true');
    await page.getByText('Choose at least one department.').waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Nina Test');
    await page.getByLabel('Email', { exact: true }).fill('sam@example.com');
    await page.getByLabel('Temporary password').fill('temporary-pass-1');
    await page.getByRole('group', { name: 'Departments' }).getByLabel('TVs').check();
    await add.tap();
    await page.getByText('An account with this email already exists.').waitFor();

    await page.getByLabel('Email', { exact: true }).fill('nina.test@example.com');
    await add.tap();
    await page.getByText('Nina Test is added and can sign in now.').waitFor();
    const nina = page.locator('li.card').filter({ has: page.getByRole('heading', { name: 'Nina Test' }) });
    await nina.getByText('Departments: TVs').waitFor();
    await nina.getByText('Off shift').waitFor();

    await nina.getByRole('button', { name: 'Edit skills' }).tap();
    await nina.getByLabel('Phones').check();
    await nina.getByRole('button', { name: 'Save' }).tap();
    await page.getByText('Nina Test’s departments are saved.').waitFor();
    await nina.getByText(/^Departments: (Phones, TVs|TVs, Phones)$/).waitFor();

    await nina.getByRole('button', { name: 'Deactivate' }).tap();
    await nina.getByText(/^Deactivate Nina Test\?/).waitFor();
    await nina.getByRole('button', { name: 'Yes, deactivate' }).tap();
    await page.getByText('Nina Test is deactivated and can no longer sign in.').waitFor();
    await nina.getByText('Deactivated — cannot sign in').waitFor();
    await screenshot(page, 'people');

    await nina.getByRole('button', { name: 'Reactivate' }).tap();
    await nina.getByRole('button', { name: 'Yes, reactivate' }).tap();
    await page.getByText('Nina Test is active again and can sign in.').waitFor();
    await nina.getByText('Off shift').waitFor();

    const users = await page.evaluate(() => fetch('/api/v1/users').then((r) => r.json()));
    const saved = users.find((u) => u.email === 'nina.test@example.com');
    assert.equal(saved.active, true);
    assert.deepEqual([...saved.departments].sort(), ['phones', 'tv']);
    assert.deepEqual(breakage, []);
  });
});

test('a manager reads a request’s hand-off log and filters it by kind', async () => {
  const shopper = await (await fetch(`${env.server.url}/api/v1/shoppers`, { method: 'POST' })).json();
  await onPhone(env, 'en-US', async (page, breakage) => {
    await signIn(page, 'manager.partdieu@example.com');
    const store = (await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()))).store_id;
    const made = await fetch(`${env.server.url}/api/v1/help-requests`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${shopper.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'log-test-1' },
      body: JSON.stringify({ store_id: store, department: 'tv', note: 'Which soundbar fits?' }),
    });
    assert.equal(made.status, 201);

    await page.getByRole('link', { name: 'Requests' }).tap();
    await page.getByRole('heading', { name: 'Requests', level: 1 }).waitFor();
    await page.getByText(/^\d+ requests\.$/).waitFor();
    await page.getByLabel('Status').selectOption('abandoned');
    await page.waitForFunction(() => {
      const states = [...document.querySelectorAll('li.card .card-state')].map((el) => el.textContent);
      return states.length > 0 && states.every((s) => s === 'Left without help');
    });
    await page.getByLabel('Status').selectOption('');
    const card = page.locator('li.card').filter({ hasText: 'Which soundbar fits?' });
    await card.getByRole('button', { name: 'Hand-off log' }).tap();
    await page.getByRole('heading', { name: /^Hand-off log: TVs, / }).waitFor();
    const entries = page.locator('.timeline-entry');
    await entries.filter({ hasText: /— Created/ }).waitFor();
    await entries.filter({ hasText: /— Sent to the remote team/ }).waitFor();
    await page.getByText('Reason: nobody in the store is free').waitFor();
    await assertAccessible(page, 'requests log');

    await page.getByLabel('Show', { exact: true }).selectOption('overflowed');
    await page.getByText('Entries shown: 1.').waitFor();
    assert.equal(await page.locator('.timeline-entry').count(), 1);
    assert.match(await page.locator('.timeline-entry').textContent(), /Sent to the remote team.*From store floor to remote team/);
    await screenshot(page, 'requests-log');
    assert.deepEqual(breakage, []);
  });
});
