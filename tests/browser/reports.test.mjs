// Reports on a phone: a manager reads the store's month in tiles and charts,
// narrows it to a week and downloads the numbers; an admin compares stores.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone } from './lib/browser.mjs';
import { screenshot } from './lib/shots.mjs';
import { PASSWORD, signIn } from './lib/staff.mjs';
import { onPhone, serverAndBrowser } from './lib/suite.mjs';

const env = serverAndBrowser();

const CAPTIONS = [
  'First response by hour of day',
  'Requests by department',
  'Overflow and left without help, by day',
  'Satisfaction by day',
];

async function tileValue(page, label) {
  const tile = page.locator('.tile').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) });
  return (await tile.locator('dd').textContent()).trim();
}

test('a manager reads the store report, narrows it to a week and downloads it', async () => {
  await onPhone(env, 'en-US', async (page, breakage) => {
    await signIn(page, 'manager.partdieu@example.com');
    await page.getByRole('link', { name: 'Reports' }).tap();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Helpforce Part-Dieu' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Last 30 days' }).getAttribute('aria-pressed'), 'true');

    assert.match(await tileValue(page, 'Requests'), /^\d[\d,]*$/);
    assert.ok(Number((await tileValue(page, 'Requests')).replace(/,/g, '')) > 100);
    assert.match(await tileValue(page, 'First response, median'), /^\d+ (s|min)$/);
    assert.match(await tileValue(page, 'Overflow to the remote team'), /^\d+ %$/);
    assert.match(await tileValue(page, 'Satisfaction'), /^\d(\.\d)? \/ 5 \(\d+ % rated 4–5\)$/);

    for (const caption of CAPTIONS) {
      const figure = page.locator('figure').filter({ has: page.locator('figcaption', { hasText: caption }) });
      await figure.waitFor();
      const svg = figure.locator('svg[role="img"]');
      assert.ok((await svg.getAttribute('aria-label')).length > 20, `${caption}: summary`);
      const hidden = figure.locator('.visually-hidden');
      const table = figure.locator('.visually-hidden table');
      assert.ok(await table.locator('tbody tr').count() > 0, `${caption}: data table`);
      // Hidden from sight, not from assistive technology.
      assert.notEqual(await hidden.evaluate((el) => getComputedStyle(el).display), 'none');
    }
    const hours = page.getByRole('table', { name: 'First response by hour of day' });
    assert.match(await hours.locator('tbody tr').first().textContent(), /:00/);
    await screenshot(page, 'report', { docs: true });
    await assertAccessible(page, 'report');

    const before = await tileValue(page, 'Requests');
    await page.getByRole('button', { name: 'Last 7 days' }).tap();
    await page.waitForFunction(() => document.querySelector('.report') && !document.querySelector('.report').hasAttribute('aria-busy'));
    assert.equal(await page.getByRole('button', { name: 'Last 7 days' }).getAttribute('aria-pressed'), 'true');
    const from = await page.getByLabel('From', { exact: true }).inputValue();
    const to = await page.getByLabel('To (included)', { exact: true }).inputValue();
    assert.equal((Date.parse(to) - Date.parse(from)) / 86400000, 6);
    await page.getByText(/^From .* to .*, included\.$/).waitFor();
    assert.ok(Number((await tileValue(page, 'Requests')).replace(/,/g, '')) < Number(before.replace(/,/g, '')));

    const csv = new URL(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href'), env.server.url);
    assert.match(csv.pathname, /^\/api\/v1\/reports\/stores\/[^/]+$/);
    assert.equal(csv.searchParams.get('format'), 'csv');
    assert.equal(csv.searchParams.get('from'), from);
    const res = await page.evaluate(async (href) => {
      const r = await fetch(href);
      return { status: r.status, type: r.headers.get('content-type') };
    }, csv.href);
    assert.equal(res.status, 200);
    assert.match(res.type, /^text\/csv/);
    assert.deepEqual(breakage, []);
  });
});

test('an admin compares every store and opens one', async () => {
  await onPhone(env, 'en-US', async (page, breakage) => {
    await signIn(page, 'admin@example.com');
    await page.getByRole('link', { name: 'Reports' }).tap();
    const table = page.getByRole('table', { name: 'All stores' });
    await table.waitFor();
    assert.ok(await table.locator('tbody tr').count() >= 2);
    await table.getByRole('button', { name: 'Helpforce Part-Dieu' }).tap();
    await page.getByRole('heading', { name: 'Helpforce Part-Dieu', level: 2 }).waitFor();
    assert.equal(await page.getByLabel('Store').locator('option:checked').textContent(), 'Helpforce Part-Dieu');
    await assertAccessible(page, 'admin report');
    assert.deepEqual(breakage, []);
  });
});

test('the report reads in French', async () => {
  const context = await env.browser.newContext(phone('fr-FR', env.server.url));
  const page = await context.newPage();
  try {
    const res = await context.request.post('/api/v1/auth/login', { data: { email: 'manager.partdieu@example.com', password: PASSWORD } });
    assert.equal(res.status(), 200);
    await page.goto('/staff/reports');
    await page.getByRole('heading', { name: 'Rapports', level: 1 }).waitFor();
    await page.getByRole('figure', { name: 'Satisfaction par jour' }).waitFor();
    await page.getByText(/^\d(,\d)? \/ 5 \(\d+ % de notes 4–5\)$/).waitFor();
  } finally {
    await context.close();
  }
});
