// Alerts: turned on only from a tap and honest about what the browser could
// do; what a push shows, from the pure builder and through the real worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone, watchForBreakage } from './lib/browser.mjs';
import { screenshot } from './lib/shots.mjs';
import { signIn } from './lib/staff.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

const env = serverAndBrowser();

const OFFER = {
  type: 'help_request', title: 'TVs — help needed', body: 'Which one fits a 2 m wall?',
  url: '/staff/requests/r1', request_id: 'r1', tag: 'request-r1', actions: ['accept', 'pass'],
};
const WITHDRAWN = {
  type: 'withdrawn', title: 'Taken by Léa Girard', body: 'No need to come: taken by Léa Girard.',
  url: '/staff/requests/r1', request_id: 'r1', tag: 'request-r1',
};
const ESCALATION = {
  type: 'escalation', title: 'Priority: Rémi Durand needs you', body: 'Price match on the OLED 55',
  url: '/staff/requests/r1', request_id: 'r1', tag: 'escalation-r1',
};

test('turning on alerts asks only from a tap and says honestly what happened', async () => {
  const context = await env.browser.newContext(phone('en-US', env.server.url));
  await context.grantPermissions(['notifications'], { origin: env.server.url });
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  const posted = [];
  page.on('response', (res) => {
    if (res.url().endsWith('/api/v1/push/subscriptions') && res.request().method() === 'POST') posted.push(res.status());
  });
  try {
    await signIn(page, 'lea@example.com');
    await page.evaluate(() => navigator.serviceWorker.ready);
    const panel = page.getByRole('region', { name: 'Alerts on this phone' });
    await panel.getByText('Get an alert when a customer needs you').waitFor();
    await panel.getByRole('button', { name: 'Turn on alerts' }).tap();

    // A browser that reaches its push service gets a subscription the server
    // stores (201). This sandbox cannot reach one, so subscribing fails, and
    // the screen must say so rather than pretend alerts are on.
    const on = panel.getByText('Alerts are on for this phone.');
    const failed = panel.getByRole('alert').filter({ hasText: 'this browser could not reach its notification service' });
    await on.or(failed).waitFor({ timeout: 25000 });
    if (await on.isVisible()) {
      assert.deepEqual(posted, [201]);
    } else {
      assert.deepEqual(posted, [], 'nothing is posted without a subscription');
      await panel.getByRole('button', { name: 'Turn on alerts' }).waitFor();
      await screenshot(page, 'staff-alerts-failed');
    }
    await assertAccessible(page, 'staff home with the alerts panel');
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
});

test('blocked notifications and iPhones without the Home Screen app are explained', async () => {
  // Headless Chromium answers the permission question with "denied", as a
  // person tapping Block would.
  const blocked = await env.browser.newContext({ ...phone('en-US', env.server.url), colorScheme: 'dark' });
  const iphone = await env.browser.newContext({
    ...phone('en-US', env.server.url),
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  });
  // Test double: Safari outside a Home Screen app has no PushManager.
  await iphone.addInitScript(() => { delete window.PushManager; });
  try {
    const page = await blocked.newPage();
    await signIn(page, 'lea@example.com');
    await page.getByRole('button', { name: 'Turn on alerts' }).tap();
    await page.getByText('Notifications are blocked for Helpforce.').waitFor();
    await page.getByText('allow Notifications, then reload the page').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Turn on alerts' }).count(), 0);
    await screenshot(page, 'staff-alerts-blocked-dark');
    await assertAccessible(page, 'alerts blocked, dark');

    const ios = await iphone.newPage();
    await signIn(ios, 'lea@example.com');
    await ios.getByText('tap Share, then Add to Home Screen').waitFor();
    assert.equal(await ios.getByRole('button', { name: 'Turn on alerts' }).count(), 0);
  } finally {
    await blocked.close();
    await iphone.close();
  }
});

test('the notification builder: offers with buttons, withdrawn in place, escalations that stay', async () => {
  const context = await env.browser.newContext(phone('en-US', env.server.url));
  const page = await context.newPage();
  try {
    await page.goto('/');
    await page.addScriptTag({ url: '/js/notification-core.js' });
    const built = await page.evaluate(([a, b, c]) => ({
      offer: self.buildNotification(a, 'en'),
      offerFr: self.buildNotification(a, 'fr'),
      withdrawn: self.buildNotification(b, 'en'),
      bare: self.buildNotification({ type: 'withdrawn', request_id: 'r1' }, 'de'),
      escalation: self.buildNotification(c, 'en'),
      offsite: self.buildNotification({ ...a, url: 'https://example.org/phish' }, 'en'),
    }), [OFFER, WITHDRAWN, ESCALATION]);

    assert.equal(built.offer.title, 'TVs — help needed');
    assert.deepEqual(built.offer.options.actions, [{ action: 'accept', title: 'Accept' }, { action: 'pass', title: 'Pass' }]);
    assert.deepEqual(built.offer.options.data, { url: '/staff/requests/r1', request_id: 'r1', type: 'help_request' });
    assert.equal(built.offer.options.tag, 'request-r1');
    assert.equal(built.offer.options.renotify, true);
    assert.equal(built.offer.options.requireInteraction, false);
    assert.deepEqual(built.offerFr.options.actions.map((a) => a.title), ['Accepter', 'Passer']);

    assert.equal(built.withdrawn.options.tag, built.offer.options.tag, 'replaces the offer');
    assert.match(built.withdrawn.title, /^Taken by /);
    assert.equal(built.withdrawn.options.actions, undefined);
    assert.equal(built.withdrawn.options.renotify, false);
    assert.equal(built.bare.title, 'Taken by a colleague');
    assert.equal(built.bare.options.tag, 'request-r1');

    assert.equal(built.escalation.options.requireInteraction, true);
    assert.equal(built.escalation.options.renotify, true);
    assert.equal(built.offsite.options.data.url, '/');
  } finally {
    await context.close();
  }
});

test('the service worker shows each push, in the app’s language, replacing by tag', async () => {
  const context = await env.browser.newContext(phone('fr-FR', env.server.url));
  await context.grantPermissions(['notifications'], { origin: env.server.url });
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  try {
    await page.goto('/');
    await page.evaluate(() => navigator.serviceWorker.ready);
    // DevTools delivers a push message to the worker as a push service would.
    const cdp = await context.newCDPSession(page);
    const registration = new Promise((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const live = registrations.find((r) => !r.isDeleted && r.scopeURL === `${env.server.url}/`);
        if (live) resolve(live.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registration;
    const push = async (payload) => {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: env.server.url, registrationId, data: JSON.stringify(payload) });
    };
    const shown = () => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications())
      .map((n) => ({ title: n.title, tag: n.tag, actions: n.actions.map((a) => a.title), requireInteraction: n.requireInteraction })));
    // Generous: a loaded machine may take seconds to wake the worker.
    const until = async (check) => {
      for (let i = 0; i < 200; i += 1) {
        const list = await shown();
        if (check(list)) return list;
        await page.waitForTimeout(100);
      }
      return shown();
    };

    await push(OFFER);
    let list = await until((l) => l.length === 1);
    assert.deepEqual(list, [{ title: 'TVs — help needed', tag: 'request-r1', actions: ['Accepter', 'Passer'], requireInteraction: false }]);

    await push(WITHDRAWN);
    list = await until((l) => l.length === 1 && l[0].title.startsWith('Taken by'));
    assert.deepEqual(list, [{ title: 'Taken by Léa Girard', tag: 'request-r1', actions: [], requireInteraction: false }]);

    await push(ESCALATION);
    list = await until((l) => l.length === 2);
    assert.equal(list.find((n) => n.tag === 'escalation-r1')?.requireInteraction, true);
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
});
