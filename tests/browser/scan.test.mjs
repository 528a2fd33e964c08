// Scanning a barcode with the phone's camera: where the browser has a
// BarcodeDetector the barcode field offers a Scan button that opens the
// camera, reads the first product barcode it sees into the field and turns
// the camera off; the product then shows on the request's card. Chromium's
// fake camera plays the stream and a stand-in detector reads it (lib/camera.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone, watchForBreakage } from './lib/browser.mjs';
import { CAMERA_ARGS, holdUp, scanner, scanState } from './lib/camera.mjs';
import { productCard, stockPartDieu } from './lib/products.mjs';
import { shopperAt, toRequestForm } from './lib/shopper.mjs';
import { goAvailable, signIn, take } from './lib/staff.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

const LIVE = { timeout: 5000 };
const SCAN = 'Scan the barcode';
const STOP = 'Stop scanning';
const NO_CAMERA = 'The camera is not available: type the digits instead.';

const env = serverAndBrowser(null, { chromiumArgs: CAMERA_ARGS });

/** A shopper's phone at Part-Dieu with a camera (or one refused) and a barcode reader. */
async function scanningShopper({ noCamera = false } = {}) {
  const context = await env.browser.newContext(shopperAt(env.server.url));
  await context.grantPermissions(['geolocation', 'camera']);
  await context.addInitScript(scanner, { noCamera });
  return context;
}

// The camera view under the barcode field labelled label.
function cameraView(page, label) {
  return page.locator('.field.barcode').filter({ has: page.getByLabel(label, { exact: true }) }).locator('video');
}

// Waits until video is on screen and playing frames.
async function playing(page, video) {
  await video.waitFor();
  await page.waitForFunction((v) => v.readyState >= 2 && !v.paused && v.videoWidth > 0, await video.elementHandle(), LIVE);
}

/**
 * Taps Scan under the field labelled label and checks the camera plays and
 * is read, with nothing read while no barcode is in front of it.
 */
async function startScan(page, label) {
  await page.getByRole('button', { name: SCAN }).tap();
  await page.getByRole('button', { name: STOP }).waitFor();
  await playing(page, cameraView(page, label));
  await page.waitForFunction(() => window.__scan.onCamera >= 2, null, LIVE);
  assert.equal(await page.getByLabel(label, { exact: true }).inputValue(), '', 'nothing is read before a barcode is in view');
  const opened = await scanState(page);
  assert.deepEqual(opened.formats, ['ean_13', 'upc_a', 'ean_8'], 'the detector is asked for product barcodes');
  assert.equal(opened.live, 1, 'one camera stream is open');
}

// Waits until every camera stream the page opened has ended.
async function cameraOff(page) {
  await page.waitForFunction(() => window.__scan.streams.every((s) => s.getTracks().every((tr) => tr.readyState === 'ended')),
    null, LIVE);
}

test('on Get help, a scanned barcode fills the field and the product shows on the request', async () => {
  await stockPartDieu(env.server.url, 'TV-FRAME50-GTIN,The Frame 50,3,1099.00,4006381333931');
  const shopper = await scanningShopper();
  try {
    const shop = await shopper.newPage();
    const breakage = watchForBreakage(shop);
    await toRequestForm(shop);
    await shop.getByLabel('Note (optional)').fill('Is this one in stock?');
    await startScan(shop, 'Barcode (optional)');
    await holdUp(shop, '4006381333931');
    await shop.getByRole('button', { name: SCAN }).waitFor(LIVE);
    assert.equal(await shop.getByLabel('Barcode (optional)').inputValue(), '4006381333931');
    await cameraView(shop, 'Barcode (optional)').waitFor({ state: 'hidden' });
    await cameraOff(shop);
    // The read code is looked up at once, as a typed one is when the field is left.
    await shop.getByRole('status').filter({ hasText: 'The Frame 50' }).waitFor(LIVE);
    await assertAccessible(shop, 'request form after a scan');

    await shop.getByRole('button', { name: 'Send' }).tap();
    await shop.waitForURL('**/help/requests/*');
    await productCard(shop, 'The Frame 50', '€1,099.00', 3);
    assert.deepEqual(breakage, []);
  } finally {
    await shopper.close();
  }
});

test('leaving Get help while the camera is on turns it off', async () => {
  const shopper = await scanningShopper();
  try {
    const shop = await shopper.newPage();
    await toRequestForm(shop);
    await startScan(shop, 'Barcode (optional)');
    await shop.getByLabel('Note (optional)').fill('Sent while scanning');
    await shop.getByRole('button', { name: 'Send' }).tap();
    await shop.waitForURL('**/help/requests/*');
    await cameraOff(shop);
  } finally {
    await shopper.close();
  }
});

test('in the chat, a scanned barcode puts the product on both cards', async () => {
  await stockPartDieu(env.server.url, 'TV-QLED75-GTIN,QLED 75 Neo,5,1499.00,5901234123457');
  const staff = await env.browser.newContext(phone('en-US', env.server.url));
  const shopper = await scanningShopper();
  try {
    const sam = await staff.newPage();
    const shop = await shopper.newPage();
    const breakage = [sam, shop].map(watchForBreakage);
    await signIn(sam, 'sam@example.com');
    await goAvailable(sam);
    await toRequestForm(shop);
    await shop.getByLabel('Note (optional)').fill('Which QLED is this?');
    await shop.getByRole('button', { name: 'Send' }).tap();
    await shop.waitForURL('**/help/requests/*');
    await take(sam, 'Which QLED is this?');
    await shop.getByText('Sam Moreau is on the way').waitFor(LIVE);

    const show = shop.getByRole('button', { name: 'Show a product' });
    await show.tap();
    await shop.getByLabel('Product barcode', { exact: true }).waitFor();
    await startScan(shop, 'Product barcode');
    await holdUp(shop, '5901234123457');
    // A scan needs no tap on Show this product: the product goes on the request.
    await shop.getByRole('status').filter({ hasText: 'QLED 75 Neo is now on the request.' }).waitFor(LIVE);
    await cameraOff(shop);
    await productCard(shop, 'QLED 75 Neo', '€1,499.00', 5);
    await productCard(sam, 'QLED 75 Neo', '€1,499.00', 5);
    // The panel closes with the product shown; focus stays on its button.
    assert.equal(await show.getAttribute('aria-expanded'), 'false');
    assert.equal(await show.evaluate((el) => el === document.activeElement), true, 'focus is kept on Show a product');
    // Opened again, the field is empty and ready for another scan, the camera off.
    await show.tap();
    await shop.getByRole('button', { name: SCAN }).waitFor();
    assert.equal(await shop.getByLabel('Product barcode', { exact: true }).inputValue(), '');
    assert.equal(await cameraView(shop, 'Product barcode').isVisible(), false);

    await sam.getByRole('button', { name: 'Resolve' }).tap();
    await shop.getByText('Your request is resolved').waitFor(LIVE);
    assert.deepEqual(breakage.flat(), []);
  } finally {
    await staff.close();
    await shopper.close();
  }
});

test('with the camera refused, Scan says so and the digits can still be typed', async () => {
  await stockPartDieu(env.server.url, 'TV-OLED48-GTIN,OLED 48 Compact,2,799.00,96385074');
  const shopper = await scanningShopper({ noCamera: true });
  try {
    const shop = await shopper.newPage();
    const breakage = watchForBreakage(shop);
    await toRequestForm(shop);
    await shop.getByRole('button', { name: SCAN }).tap();
    await shop.getByText(NO_CAMERA).waitFor();
    assert.equal(await shop.getByRole('button', { name: STOP }).count(), 0, 'no camera, so nothing to stop');
    assert.equal(await cameraView(shop, 'Barcode (optional)').isVisible(), false);
    assert.equal((await scanState(shop)).detects, 0, 'nothing is read without a camera');

    const code = shop.getByLabel('Barcode (optional)');
    await code.fill('96385074');
    await code.blur();
    await shop.getByRole('status').filter({ hasText: 'OLED 48 Compact' }).waitFor(LIVE);
    assert.equal(await shop.getByText(NO_CAMERA).count(), 0, 'a valid code clears the message');
    assert.equal(await code.getAttribute('aria-invalid'), null);
    assert.deepEqual(breakage, []);
  } finally {
    await shopper.close();
  }
});

test('where the browser reads no barcodes, there is no Scan button', async () => {
  const shopper = await env.browser.newContext(shopperAt(env.server.url));
  try {
    const shop = await shopper.newPage();
    await toRequestForm(shop);
    await shop.getByLabel('Barcode (optional)').waitFor();
    assert.equal(await shop.evaluate(() => 'BarcodeDetector' in window), false, 'Chromium on Linux has no detector');
    assert.equal(await shop.getByRole('button', { name: SCAN }).count(), 0);
  } finally {
    await shopper.close();
  }
});
