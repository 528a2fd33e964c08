// The first journey: a shopper's home screen, then a floor staff member signs in
// on their phone and goes available, and it sticks across a reload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone } from './lib/browser.mjs';
import { screenshot } from './lib/shots.mjs';
import { onPhone, serverAndBrowser } from './lib/suite.mjs';

const PASSWORD = 'helpforce-demo';
const env = serverAndBrowser();

test('floor staff sign in on a phone and go available', async () => {
  await onPhone(env, 'en-US', async (page, breakage) => {
    await page.goto('/');
    const getHelp = page.getByRole('button', { name: 'Get help', exact: true });
    await getHelp.waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await screenshot(page, 'shopper-home', { docs: true });
    await assertAccessible(page, 'shopper home');

    await page.getByRole('link', { name: 'Staff sign in' }).click();
    await page.waitForURL('**/staff');
    await page.getByRole('heading', { name: 'Staff sign in' }).waitFor();
    await screenshot(page, 'staff-signin');
    await assertAccessible(page, 'staff sign-in');

    await page.getByLabel('Email').fill('sam@example.com');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
    await screenshot(page, 'staff-signin-wrong-password');
    await assertAccessible(page, 'staff sign-in with an error');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Sam/ }).waitFor();
    await page.getByText('Helpforce Part-Dieu').waitFor();
    await page.getByText('Floor staff').waitFor();

    await page.getByLabel('Available', { exact: true }).check();
    await page.getByText('You are available').waitFor();
    await screenshot(page, 'staff-home', { docs: true });
    await assertAccessible(page, 'staff home');

    // The session is a cookie and the status lives on the server: both survive a reload.
    await page.reload();
    await page.getByRole('heading', { name: /Sam/ }).waitFor();
    await page.getByText('You are available').waitFor();
    assert.equal(await page.getByLabel('Available', { exact: true }).isChecked(), true);
    assert.equal(await page.getByLabel('On a break', { exact: true }).isChecked(), false);

    assert.deepEqual(breakage, []);
  });
});

test('a phone set to French gets the app in French', async () => {
  await onPhone(env, 'fr-FR', async (page, breakage) => {
    await page.goto('/');
    await page.getByRole('button', { name: "Obtenir de l'aide", exact: true }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await screenshot(page, 'shopper-home-fr');
    assert.deepEqual(breakage, []);
  });
});

test('sign-in says what to do when the server refuses or cannot be reached', async () => {
  // page.route cannot see requests a service worker handles; this test is about the form.
  const context = await env.browser.newContext({ ...phone('en-US', env.server.url), serviceWorkers: 'block' });
  const page = await context.newPage();
  try {
    await page.goto('/staff');
    await page.getByLabel('Email').fill('sam@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    const submit = page.getByRole('button', { name: 'Sign in' });

    // Test double for the login endpoint: a rate-limit answer the real server
    // only gives after many failures, held back so the progress state shows.
    let logins = 0;
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/api/v1/auth/login', async (route) => {
      logins += 1;
      await held;
      await route.fulfill({
        status: 429,
        headers: { 'Retry-After': '90' },
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }),
      });
    });
    await submit.click();
    const progress = page.getByRole('button', { name: 'Signing in…' });
    await progress.waitFor();
    assert.equal(await progress.isDisabled(), true);
    await page.locator('form').dispatchEvent('submit');
    release();
    await page.getByRole('alert').filter({ hasText: 'Too many attempts — try again in 2 minutes' }).waitFor();
    assert.equal(logins, 1, 'a second submit while waiting must not send a second login');

    await page.unroute('**/api/v1/auth/login');
    await page.route('**/api/v1/auth/login', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'No connection — check your signal and try again.' }).waitFor();

    // Empty fields are caught before any request, next to the field.
    await page.getByLabel('Email').fill('');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Enter your work email.').waitFor();
    assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
  } finally {
    await context.close();
  }
});

test('dark mode keeps every screen readable', async () => {
  const context = await env.browser.newContext({ ...phone('en-US', env.server.url), colorScheme: 'dark' });
  const page = await context.newPage();
  try {
    await page.goto('/');
    await page.getByRole('button', { name: 'Get help', exact: true }).waitFor();
    await screenshot(page, 'shopper-home-dark');
    await assertAccessible(page, 'shopper home, dark');

    await page.getByRole('link', { name: 'Staff sign in' }).click();
    await page.getByLabel('Email').fill('manager.partdieu@example.com');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
    await assertAccessible(page, 'staff sign-in with an error, dark');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Shift manager').waitFor();
    await page.getByLabel('On a break', { exact: true }).check();
    await page.getByText('You are on a break').waitFor();
    await screenshot(page, 'staff-home-dark');
    await assertAccessible(page, 'staff home, dark');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Staff sign in' }).waitFor();
  } finally {
    await context.close();
  }
});

test('while helping a customer, availability is shown and cannot be changed', async () => {
  const context = await env.browser.newContext({ ...phone('en-US', env.server.url), serviceWorkers: 'block' });
  const page = await context.newPage();
  try {
    await page.goto('/staff');
    await page.getByLabel('Email').fill('sam@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Sam/ }).waitFor();

    // Test double: the server only sets "busy" while someone owns a request,
    // which needs the help-request flow; here /me answers as if it had.
    await page.route('**/api/v1/me', async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, json: { ...(await res.json()), status: 'busy' } });
    });
    await page.reload();
    await page.getByText('Busy — helping a customer').waitFor();
    for (const label of ['Available', 'On a break', 'Off shift']) {
      assert.equal(await page.getByLabel(label, { exact: true }).isDisabled(), true, label);
    }
    await screenshot(page, 'staff-home-busy');
  } finally {
    await context.close();
  }
});
