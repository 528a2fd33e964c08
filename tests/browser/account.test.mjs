// Accounts over time: a manager resets a floor staff member's forgotten
// password, who must choose their own at the next sign-in, then signs out of
// every device at once; a phone whose session ended goes back to sign-in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { screenshot } from './lib/shots.mjs';
import { PASSWORD, signIn } from './lib/staff.mjs';
import { onPhone, serverAndBrowser } from './lib/suite.mjs';

const env = serverAndBrowser();

test('a reset password must be changed at the next sign-in; sign out everywhere ends every session', async () => {
  let temporary = '';
  await onPhone(env, 'en-US', async (page, breakage) => {
    await signIn(page, 'manager.partdieu@example.com');
    await page.getByRole('link', { name: 'Staff' }).tap();
    const sam = page.locator('li.card').filter({ has: page.getByRole('heading', { name: 'Sam Moreau' }) });
    await sam.getByRole('button', { name: 'Reset password' }).tap();
    await sam.getByText(/^Give Sam Moreau a temporary password\?/).waitFor();
    await sam.getByRole('button', { name: 'Yes, reset' }).tap();
    const said = page.getByText(/^Temporary password for Sam Moreau: /);
    await said.waitFor();
    temporary = (await said.textContent()).match(/: (\S+) —/)[1];
    assert.deepEqual(breakage, []);
  });
  assert.ok(temporary.length >= 12, temporary);

  await onPhone(env, 'fr-FR', async (page, breakage) => {
    await page.goto('/staff');
    await page.getByLabel('E-mail').fill('sam@example.com');
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText(/incorrect/).waitFor(); // the old password is gone
    await page.getByLabel('Mot de passe', { exact: true }).fill(temporary);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Changer de mot de passe', level: 1 }).waitFor();
    await page.getByText('Vous vous êtes connecté avec un mot de passe temporaire.', { exact: false }).waitFor();
    await assertAccessible(page, 'forced password change');
    await page.getByLabel('Mot de passe temporaire').fill(temporary);
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('sam chose this one');
    await page.getByLabel('Nouveau mot de passe, à nouveau').fill('sam chose another');
    await page.getByRole('button', { name: 'Changer de mot de passe' }).click();
    await page.getByText('Les deux nouveaux mots de passe diffèrent.').waitFor();
    await page.getByLabel('Nouveau mot de passe, à nouveau').fill('sam chose this one');
    await page.getByRole('button', { name: 'Changer de mot de passe' }).click();
    await page.getByRole('heading', { name: /^Bonjour, Sam/ }).waitFor();
    assert.deepEqual(breakage, []);
  });

  await onPhone(env, 'en-US', async (page, breakage, context) => {
    const other = await context.browser().newContext();
    const elsewhere = await other.request.post(`${env.server.url}/api/v1/auth/login`,
      { data: { email: 'sam@example.com', password: 'sam chose this one' } });
    assert.equal(elsewhere.status(), 200);
    const token = (await elsewhere.json()).token;
    const me = () => other.request.get(`${env.server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await me()).status(), 200);

    await page.goto('/staff');
    await page.getByLabel('Email').fill('sam@example.com');
    await page.getByLabel('Password', { exact: true }).fill('sam chose this one');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Change password' }).tap();
    await page.getByRole('heading', { name: 'Change password', level: 1 }).waitFor();
    await assertAccessible(page, 'change password');
    await screenshot(page, 'password');
    await page.getByRole('button', { name: 'Sign out everywhere' }).tap();
    await page.getByRole('button', { name: 'Yes, sign out everywhere' }).tap();
    await page.getByText('You are signed out on every device.').waitFor();
    assert.equal((await me()).status(), 401);
    await other.close();
    assert.deepEqual(breakage, []);
  });
});

test('a phone whose session ended elsewhere goes back to sign-in as soon as it finds out, saying why', async () => {
  await onPhone(env, 'en-US', async (page, breakage, context) => {
    await signIn(page, 'lea@example.com');
    // Léa's sessions end from another device.
    const other = await context.browser().newContext();
    const login = await other.request.post(`${env.server.url}/api/v1/auth/login`,
      { data: { email: 'lea@example.com', password: PASSWORD } });
    assert.equal(login.status(), 200);
    const ended = await other.request.post(`${env.server.url}/api/v1/auth/logout-everywhere`,
      { headers: { Authorization: `Bearer ${(await login.json()).token}` } });
    assert.equal(ended.status(), 204);
    await other.close();

    // The next tap finds the session ended, unless the live queue found it
    // first and the screen is already gone: either way, sign-in says why.
    // The choice goes back as the session is found ended, so it is a click, not a check.
    page.getByLabel('On a break', { exact: true }).click({ timeout: 10000 }).catch(() => {});
    await page.getByText('Your session has ended — please sign in again.').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/staff');
    assert.deepEqual(breakage, []);
  });
});
