// Alerts in the language of the app: a member of staff whose app is in French
// gets the offer of a new request in French; the server encrypts it for the
// device's keys and the receiver decrypts it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phone, watchForBreakage } from './lib/browser.mjs';
import { fakePushManager, pushReceiver } from './lib/push.mjs';
import { shopperAt } from './lib/shopper.mjs';
import { PASSWORD } from './lib/staff.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

// The server must be told, before it starts, that this loopback endpoint is allowed.
const receiver = await pushReceiver();
process.env.HELPFORCE_PUSH_ALLOW_HOSTS = receiver.host;
const env = serverAndBrowser();

test('a member of staff whose app is in French gets a French alert', async () => {
  const staff = await env.browser.newContext(phone('fr-FR', env.server.url));
  await staff.grantPermissions(['notifications'], { origin: env.server.url });
  const device = receiver.subscription();
  await staff.addInitScript(fakePushManager, device);
  const shopper = await env.browser.newContext(shopperAt(env.server.url));
  const sam = await staff.newPage();
  const shop = await shopper.newPage();
  const breakage = [sam, shop].map(watchForBreakage);
  try {
    await sam.goto('/staff');
    await sam.getByLabel('E-mail').fill('sam@example.com');
    await sam.getByLabel('Mot de passe').fill(PASSWORD);
    await sam.getByRole('button', { name: 'Se connecter' }).click();
    await sam.getByRole('heading', { name: /^Bonjour, / }).waitFor();
    await sam.getByLabel('Disponible', { exact: true }).check();
    await sam.getByText('Vous êtes disponible').waitFor();
    await sam.evaluate(() => navigator.serviceWorker.ready);
    const panel = sam.getByRole('region', { name: 'Alertes sur ce téléphone' });
    const posted = sam.waitForRequest((r) => r.url().endsWith('/api/v1/push/subscriptions') && r.method() === 'POST');
    await panel.getByRole('button', { name: 'Activer les alertes' }).tap();
    await panel.getByText('Les alertes sont activées sur ce téléphone.').waitFor();
    assert.equal((await posted).postDataJSON().lang, 'fr');

    await shop.goto('/');
    await shop.getByRole('button', { name: 'Get help', exact: true }).tap();
    await shop.getByRole('button', { name: 'Continue' }).tap();
    await shop.getByRole('button', { name: 'TVs', exact: true }).tap();
    await shop.getByRole('button', { name: 'Send' }).tap();
    await shop.waitForURL('**/help/requests/*');
    const id = new URL(shop.url()).pathname.split('/').pop();

    const alert = await receiver.next();
    assert.equal(alert.endpoint, new URL(device.endpoint).pathname);
    assert.equal(alert.payload.type, 'help_request');
    assert.equal(alert.payload.title, 'TVs — besoin d\'aide');
    assert.equal(alert.payload.body, 'Un client attend à Helpforce Part-Dieu');
    assert.equal(alert.payload.request_id, id);
    assert.deepEqual(breakage.flat(), []);
  } finally {
    await staff.close();
    await shopper.close();
    await receiver.close();
  }
});
