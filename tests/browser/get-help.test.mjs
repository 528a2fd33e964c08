// Get help, from the shopper's tap to the request screen: found by location,
// chosen by hand, between two stores, and with location refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone, watchForBreakage } from './lib/browser.mjs';
import { countLocationRequests, locationRequests } from './lib/location.mjs';
import { screenshot } from './lib/shots.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

const env = serverAndBrowser();

test('a shopper inside a store gets to the request screen in a few taps', async () => {
  const context = await env.browser.newContext({
    ...phone('en-US', env.server.url),
    permissions: ['geolocation'],
    geolocation: { latitude: 45.76115, longitude: 4.85572, accuracy: 10 },
  });
  await context.addInitScript(countLocationRequests);
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  try {
    await page.goto('/');
    const getHelp = page.getByRole('button', { name: 'Get help', exact: true });
    await getHelp.waitFor();
    assert.equal(await locationRequests(page), 0, 'no location request before the tap');

    await getHelp.tap();
    await page.getByRole('heading', { name: 'You’re at Helpforce Part-Dieu' }).waitFor();
    assert.equal(await locationRequests(page), 1);
    assert.equal(new URL(page.url()).pathname, '/help');
    await page.getByRole('button', { name: 'Not here?' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).tap();

    await page.getByRole('heading', { name: 'What do you need help with?' }).waitFor();
    await page.getByText('At Helpforce Part-Dieu').waitFor();
    await page.getByRole('button', { name: 'TVs', exact: true }).tap();

    await page.getByRole('heading', { name: 'Your request' }).waitFor();
    await page.getByText('Helpforce Part-Dieu — TVs').waitFor();
    const department = page.getByLabel('Department');
    assert.equal(await department.inputValue(), 'tv');
    assert.equal(await department.locator('option:checked').textContent(), 'TVs');
    await page.getByLabel('Note (optional)').fill('Which one fits a 2 m wall?');
    await page.getByLabel('Product (optional)').fill('OLED 55');
    const form = page.locator('form.request');
    assert.ok(await form.getAttribute('data-store-id'), 'the chosen store is kept for sending');
    assert.equal(await form.getAttribute('data-department'), 'tv');
    await assertAccessible(page, 'request screen');
    await page.evaluate(() => document.activeElement?.blur());
    await screenshot(page, 'get-help', { docs: true });

    // Send opens the live request in place of the form. Nobody in the demo
    // store is on shift, so it goes to the remote team at once.
    await page.getByRole('button', { name: 'Send' }).tap();
    await page.waitForURL('**/help/requests/*');
    await page.getByRole('heading', { name: 'Your request' }).waitFor();
    await page.getByText('You’re number 1 in line').waitFor();
    await page.getByText('Nobody at our help desk is free right now — you’ll get an answer as soon as someone is.').waitFor();
    assert.equal(await page.getByText('Helpforce Part-Dieu — TVs').count(), 1);
    const live = new URL(page.url()).pathname;

    // Back returns to the answer already found, without asking the phone again.
    await page.goBack();
    await page.getByRole('heading', { name: 'What do you need help with?' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'You’re at Helpforce Part-Dieu' }).waitFor();
    assert.equal(await locationRequests(page), 1);

    // Reopening the app returns to the request still open on this phone.
    await page.goto('/');
    await page.getByText('You’re number 1 in line').waitFor();
    assert.equal(new URL(page.url()).pathname, live);

    // Cancelling asks first, then says plainly that nobody will come.
    await page.getByRole('button', { name: 'Cancel request' }).tap();
    await page.getByText('Cancel this request? Nobody will come to help.').waitFor();
    await page.getByRole('button', { name: 'No, keep it' }).tap();
    await page.getByRole('button', { name: 'Cancel request' }).tap();
    await page.getByRole('button', { name: 'Yes, cancel it' }).tap();
    await page.getByRole('status').filter({ hasText: 'You cancelled this request' }).waitFor();
    await page.getByText('Nobody will come. If you still need a hand, ask again.').waitFor();
    await page.getByRole('button', { name: 'Ask again' }).tap();
    await page.getByRole('heading', { name: 'You’re at Helpforce Part-Dieu' }).waitFor();
    await page.goto('/');
    await page.getByRole('button', { name: 'Get help', exact: true }).waitFor();
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
});

test('a shopper away from every store sees the nearby stores and can search by name', async () => {
  const context = await env.browser.newContext({
    ...phone('en-US', env.server.url),
    permissions: ['geolocation'],
    geolocation: { latitude: 45.80, longitude: 4.90, accuracy: 20 },
  });
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  try {
    await page.goto('/');
    await page.getByRole('button', { name: 'Get help', exact: true }).tap();
    await page.getByRole('heading', { name: 'You don’t seem to be in one of our stores' }).waitFor();
    await page.getByRole('heading', { name: 'Stores near you' }).waitFor();
    const nearby = page.locator('.store-group .store-choice');
    assert.equal(await nearby.count(), 3);
    await nearby.first().filter({ hasText: 'Helpforce Part-Dieu' }).waitFor();
    await nearby.first().filter({ hasText: 'about 5.5 km away' }).waitFor();
    await page.getByRole('button', { name: 'I’m not in a store — ask the remote team' }).waitFor();
    await screenshot(page, 'get-help-store-choice');
    await assertAccessible(page, 'store choice');

    await page.getByLabel('Search stores by name').fill('Bell');
    await page.getByText('One store matches.').waitFor();
    await page.getByRole('button', { name: /Helpforce Bellecour/ }).tap();
    await page.getByRole('heading', { name: 'What do you need help with?' }).waitFor();
    await page.getByText('At Helpforce Bellecour').waitFor();
    for (const name of ['TVs', 'Phones', 'Appliances', 'Computing', 'Gaming']) {
      await page.getByRole('button', { name, exact: true }).waitFor();
    }
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
});

test('with location refused, the shopper is told so and can still choose', async () => {
  const context = await env.browser.newContext({ ...phone('en-US', env.server.url), colorScheme: 'dark' });
  // The browser's refusal, after a moment, as a person tapping "Block" would give.
  await context.addInitScript(() => {
    navigator.geolocation.getCurrentPosition = (ok, fail) => {
      setTimeout(() => fail({ code: 1, message: 'User denied Geolocation' }), 800);
    };
  });
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  try {
    await page.goto('/');
    await page.getByRole('button', { name: 'Get help', exact: true }).tap();
    // While the phone is asked, the screen says why and what is happening.
    await page.getByText('Your location tells us which store you are in').waitFor();
    await page.getByRole('status').filter({ hasText: 'Finding your store…' }).waitFor();

    await page.getByRole('heading', { name: 'Your location is not shared' }).waitFor();
    await page.getByText('allow location for this site').waitFor();
    await page.getByLabel('Search stores by name').waitFor();
    // No nearby stores without a position: every store is listed instead.
    await page.getByRole('button', { name: /Helpforce Confluence/ }).waitFor();
    await screenshot(page, 'get-help-denied-dark');
    await assertAccessible(page, 'location refused, dark');

    await page.getByRole('button', { name: 'I’m not in a store — ask the remote team' }).tap();
    await page.getByText('Remote team', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Phones', exact: true }).tap();
    await page.getByText('Remote team — Phones').waitFor();
    assert.equal(await page.locator('form.request').getAttribute('data-store-id'), '');
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
});

test('a place between two stores asks which one, with distances in words', async () => {
  // Test double for /locate: the demo stores are too far apart for a real
  // "ambiguous" answer. page.route cannot see requests a service worker handles.
  const context = await env.browser.newContext({
    ...phone('en-US', env.server.url),
    serviceWorkers: 'block',
    permissions: ['geolocation'],
    geolocation: { latitude: 45.7607, longitude: 4.8458, accuracy: 30 },
  });
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  try {
    const stores = await (await fetch(`${env.server.url}/api/v1/stores`)).json();
    const summary = (name) => {
      const s = stores.find((x) => x.name === name);
      return { id: s.id, name: s.name, address: s.address, location: s.location };
    };
    await page.route('**/api/v1/locate?*', (route) => route.fulfill({
      json: {
        store: null,
        confidence: 'ambiguous',
        candidates: [
          { store: summary('Helpforce Part-Dieu'), distance_m: 18.4 },
          { store: summary('Helpforce Bellecour'), distance_m: 240 },
        ],
      },
    }));
    await page.goto('/');
    await page.getByRole('button', { name: 'Get help', exact: true }).tap();
    await page.getByRole('heading', { name: 'Which store are you in?' }).waitFor();
    await page.getByRole('button', { name: /Helpforce Part-Dieu.*about 20 m away/ }).waitFor();
    await page.getByRole('button', { name: /Helpforce Bellecour.*about 240 m away/ }).tap();
    await page.getByText('At Helpforce Bellecour').waitFor();
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
});

test('a Send whose answer was lost is retried with the same key and makes one request', async () => {
  const stores = await (await fetch(`${env.server.url}/api/v1/stores`)).json();
  const store = stores.find((s) => s.name === 'Helpforce Bellecour');
  const context = await env.browser.newContext({ ...phone('en-US', env.server.url), serviceWorkers: 'block' });
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  const sent = [];
  try {
    // Test double for a weak signal: the first request reaches the server,
    // its answer never reaches the phone.
    await page.route('**/api/v1/help-requests', async (route) => {
      const res = await route.fetch();
      sent.push({ key: route.request().headers()['idempotency-key'], id: (await res.json()).id });
      if (sent.length === 1) return route.abort('internetdisconnected');
      return route.fulfill({ response: res });
    });
    await page.goto(`/help/request?store=${store.id}&department=tv`);
    await page.getByRole('button', { name: 'Send' }).tap();
    await page.getByRole('alert').filter({ hasText: 'Your request was not sent: no connection.' }).waitFor();
    await page.getByRole('button', { name: 'Send' }).tap();
    await page.getByText('You’re number 1 in line').waitFor();
    assert.equal(sent.length, 2);
    assert.match(sent[0].key, /^[0-9a-f-]{36}$/);
    assert.equal(sent[1].key, sent[0].key);
    assert.equal(sent[1].id, sent[0].id, 'the server returned the request it already made');
    assert.equal(new URL(page.url()).pathname, `/help/requests/${sent[0].id}`);
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
});
