// The shift manager's tools on a phone: importing the store's stock from a CSV
// file with progress, and a bad line named by its number.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { screenshot } from './lib/shots.mjs';
import { signIn } from './lib/staff.mjs';
import { onPhone, serverAndBrowser } from './lib/suite.mjs';

const env = serverAndBrowser();

async function csv(name, lines) {
  const file = path.join(env.server.dir, name);
  await writeFile(file, ['sku,name,on_hand,price', ...lines].join('\n') + '\n');
  return file;
}

test('a manager imports stock from a CSV file and sees a bad line named', async () => {
  await onPhone(env, 'en-US', async (page, breakage) => {
    await signIn(page, 'manager.partdieu@example.com');
    await page.getByRole('link', { name: 'Inventory' }).tap();
    await page.getByRole('heading', { name: 'Inventory' }).waitFor();
    await page.getByRole('button', { name: 'Import' }).tap();
    await page.getByText('Choose a CSV file first.').waitFor();

    const rows = Array.from({ length: 20 }, (_, i) => `CA-TEST-${i},Test cable ${i},${i + 1},${9 + i}.90`);
    await page.getByLabel('Stock file (CSV)').setInputFiles(await csv('good.csv', rows));
    await page.getByRole('button', { name: 'Import' }).tap();
    await page.getByText('20 products updated').waitFor();
    const processing = page.getByRole('progressbar', { name: 'Processing' });
    assert.equal(await processing.getAttribute('aria-valuenow'), '100');
    await page.getByText('20 rows processed').waitFor();
    assert.equal(await page.getByRole('progressbar', { name: 'Upload' }).getAttribute('aria-valuenow'), '100');
    await screenshot(page, 'inventory');
    await assertAccessible(page, 'inventory import');
    // The store's own staff see the counts (strangers see only what is available).
    const found = await page.evaluate(async () => {
      const me = await (await fetch('/api/v1/me')).json();
      return (await fetch(`/api/v1/stores/${me.store_id}/products?q=CA-TEST-19`)).json();
    });
    assert.equal(found[0].on_hand, 20);

    await page.getByLabel('Stock file (CSV)').setInputFiles(await csv('bad.csv', ['CA-OK,Fine,3,1', 'CA-BAD,Broken,many,2']));
    await page.getByRole('button', { name: 'Import' }).tap();
    await page.getByText(/^Nothing was imported: line 3: /).waitFor();
    assert.equal(await page.getByLabel('Stock file (CSV)').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'inventory-bad-line');
    assert.deepEqual(breakage, []);
  });
});
