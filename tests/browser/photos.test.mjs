// Photos and barcodes in the conversation: a shopper's photo, chosen with the
// file picker, reaches the member of staff; a typed barcode, on the request
// form or later in the chat, names the product on the request's card, from
// which staff hold one in a tap.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone, watchForBreakage } from './lib/browser.mjs';
import { TESTS_DIR } from './lib/server.mjs';
import { productCard, stockPartDieu } from './lib/products.mjs';
import { goAvailable, signIn, take } from './lib/staff.mjs';
import { shopperAt, toRequestForm } from './lib/shopper.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

const LIVE = { timeout: 5000 };
// A real PNG from the app itself stands in for a camera photo.
const PHOTO = path.join(TESTS_DIR, '..', 'pwa', 'public', 'icons', 'icon-512.png');

const env = serverAndBrowser();

function shopperOptions() {
  return shopperAt(env.server.url);
}

async function send(page) {
  await page.getByRole('button', { name: 'Send' }).tap();
  await page.waitForURL('**/help/requests/*');
}

test('a shopper sends a photo from the file picker and staff see it', async () => {
  const staff = await env.browser.newContext(phone('en-US', env.server.url));
  const shopper = await env.browser.newContext(shopperOptions());
  const sam = await staff.newPage();
  const shop = await shopper.newPage();
  const breakage = [sam, shop].map(watchForBreakage);
  try {
    await signIn(sam, 'sam@example.com');
    await goAvailable(sam);
    await toRequestForm(shop);
    await shop.getByLabel('Note (optional)').fill('Is this the right cable?');
    await send(shop);
    await take(sam, 'Is this the right cable?');
    await shop.getByText('Sam Moreau is on the way').waitFor(LIVE);

    const uploaded = shop.waitForResponse((r) => r.url().endsWith('/photos') && r.request().method() === 'POST');
    await shop.getByLabel('Add a photo').setInputFiles(PHOTO);
    assert.equal((await uploaded).status(), 201);
    const tray = shop.getByRole('list', { name: 'Photos to send' });
    await tray.getByRole('img', { name: 'Photo' }).waitFor();
    await assertAccessible(shop, 'chat with a photo to send');
    await shop.getByLabel('Message', { exact: true }).fill('This one');
    await shop.getByRole('button', { name: 'Send', exact: true }).click();
    const mine = shop.locator('.message.mine').filter({ hasText: 'This one' });
    await mine.getByRole('img', { name: 'Photo' }).waitFor();
    assert.equal(await tray.getByRole('listitem').count(), 0, 'the tray empties once sent');

    // Sam sees it live, and the image really loads (a JPEG the server made).
    const fromShopper = sam.locator('.message').filter({ hasText: 'This one' });
    const img = fromShopper.getByRole('img', { name: 'Photo' });
    await img.waitFor(LIVE);
    await sam.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
    assert.equal(await img.evaluate((el) => el.naturalWidth), 320, 'the thumbnail is shown');
    const full = await sam.evaluate(async (href) => {
      const res = await fetch(href);
      return { status: res.status, type: res.headers.get('content-type') };
    }, await fromShopper.getByRole('link').getAttribute('href'));
    assert.deepEqual(full, { status: 200, type: 'image/jpeg' });

    await sam.getByRole('button', { name: 'Resolve' }).tap();
    await shop.getByText('Your request is resolved').waitFor(LIVE);
    assert.deepEqual(breakage.flat(), []);
  } finally {
    await staff.close();
    await shopper.close();
  }
});

// Staff hold one from their product card in a tap; the shopper's card then
// shows `left` available.
async function holdOne(staffCard, shopperCard, name, left) {
  await staffCard.getByRole('button', { name: 'Hold one for the shopper' }).tap();
  await staffCard.getByText(new RegExp(`^Held: 1 × ${name}, pickup code`)).waitFor();
  await shopperCard.getByText(`${left} available in this store`).waitFor({ timeout: 15000 });
}

test('a typed barcode shows the product on the card, and staff hold one in a tap', async () => {
  // The store's inventory names the TV by its EAN-13.
  await stockPartDieu(env.server.url, 'TV-OLED55-GTIN,OLED 55 Ambilight,4,1299.00,4006381333931');

  const staff = await env.browser.newContext(phone('en-US', env.server.url));
  const shopper = await env.browser.newContext(shopperOptions());
  const sam = await staff.newPage();
  const shop = await shopper.newPage();
  const breakage = [sam, shop].map(watchForBreakage);
  try {
    await signIn(sam, 'sam@example.com');
    await goAvailable(sam);
    await toRequestForm(shop);
    const code = shop.getByLabel('Barcode (optional)');
    assert.equal(await code.getAttribute('inputmode'), 'numeric');
    await shop.getByLabel('Note (optional)').fill('Does it come in 65?');
    await code.fill('4006381333932');
    await shop.getByRole('button', { name: 'Send' }).tap();
    await shop.getByText('These digits are not a product barcode. Check them and try again.').waitFor();
    assert.equal(new URL(shop.url()).pathname, '/help/request', 'a bad check digit is not sent');
    await code.fill('4006381333931');
    await code.blur();
    await shop.getByRole('status').filter({ hasText: 'OLED 55 Ambilight' }).waitFor();
    await send(shop);

    const card = await productCard(shop, 'OLED 55 Ambilight', '€1,299.00', 4);

    await take(sam, 'Does it come in 65?');
    const staffCard = sam.getByRole('region', { name: 'The product' });
    await staffCard.getByText('OLED 55 Ambilight').waitFor();
    await assertAccessible(sam, 'staff request with a product');
    await holdOne(staffCard, card, 'OLED 55 Ambilight', 3);

    await sam.getByRole('button', { name: 'Resolve' }).tap();
    await shop.getByText('Your request is resolved').waitFor(LIVE);
    assert.deepEqual(breakage.flat(), []);
  } finally {
    await staff.close();
    await shopper.close();
  }
});

test('a barcode typed in the chat puts the product on both cards, and staff hold one in a tap', async () => {
  await stockPartDieu(env.server.url, 'TV-QLED65-GTIN,QLED 65 Neo,2,899.00,5901234123457');

  const staff = await env.browser.newContext(phone('en-US', env.server.url));
  const shopper = await env.browser.newContext(shopperOptions());
  const sam = await staff.newPage();
  const shop = await shopper.newPage();
  const breakage = [sam, shop].map(watchForBreakage);
  try {
    await signIn(sam, 'sam@example.com');
    await goAvailable(sam);
    await toRequestForm(shop);
    await shop.getByLabel('Note (optional)').fill('Which one is it?');
    await send(shop);
    await take(sam, 'Which one is it?');
    await shop.getByText('Sam Moreau is on the way').waitFor(LIVE);

    // Sam types a code the store does not sell: it stays on the request as a number.
    await sam.getByRole('button', { name: 'Show a product' }).tap();
    await sam.getByLabel('Product barcode').fill('96385074');
    await sam.getByLabel('Product barcode').press('Enter');
    await sam.getByText('This store has no product with this barcode.', { exact: false }).waitFor();
    await sam.getByText('96385074').waitFor();

    // The shopper mistypes, then types the TV's code from the chat.
    const show = shop.getByRole('button', { name: 'Show a product' });
    await show.tap();
    // The field's code arrives on that first tap; the button says it opened once it has.
    const code = shop.getByLabel('Product barcode');
    await code.waitFor();
    assert.equal(await show.getAttribute('aria-expanded'), 'true');
    assert.equal(await code.getAttribute('inputmode'), 'numeric');
    await code.fill('5901234123458');
    await shop.getByRole('button', { name: 'Show this product' }).tap();
    await shop.getByText('These digits are not a product barcode. Check them and try again.').waitFor();
    await assertAccessible(shop, 'chat with the barcode field');
    await code.fill('5901234123457');
    await shop.getByRole('button', { name: 'Show this product' }).tap();
    await shop.getByRole('status').filter({ hasText: 'QLED 65 Neo is now on the request.' }).waitFor();
    const card = await productCard(shop, 'QLED 65 Neo', '€899.00', 2);

    // Sam's card shows it live, and one tap holds one for the shopper.
    const staffCard = sam.getByRole('region', { name: 'The product' });
    await staffCard.getByText('QLED 65 Neo').waitFor(LIVE);
    await holdOne(staffCard, card, 'QLED 65 Neo', 1);

    await sam.getByRole('button', { name: 'Resolve' }).tap();
    await shop.getByText('Your request is resolved').waitFor(LIVE);
    assert.equal(await show.isVisible(), false, 'a closed request takes no product');
    assert.deepEqual(breakage.flat(), []);
  } finally {
    await staff.close();
    await shopper.close();
  }
});
