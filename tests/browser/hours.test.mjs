// Opening hours: a shift manager sets the week, with a lunch break and an
// exception closing the store today; a shopper in the store is then told, in
// words, that it is closed and when it opens, before sending.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone, watchForBreakage } from './lib/browser.mjs';
import { screenshot } from './lib/shots.mjs';
import { signIn } from './lib/staff.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

const env = serverAndBrowser();

// Today in the demo stores' zone, as a date input takes it.
function todayInLyon() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

// The words a shopper taps on the way to the request, by language.
const WORDS = {
  'en-US': { getHelp: 'Get help', continue: 'Continue' },
  'fr-FR': { getHelp: 'Obtenir de l\'aide', continue: 'Continuer' },
};

// A shopper standing in Helpforce Part-Dieu opens the request for TVs.
async function shopperAtPartDieu(locale, fn) {
  const words = WORDS[locale];
  const context = await env.browser.newContext({
    ...phone(locale, env.server.url),
    permissions: ['geolocation'],
    geolocation: { latitude: 45.76115, longitude: 4.85572, accuracy: 10 },
  });
  try {
    const page = await context.newPage();
    const breakage = watchForBreakage(page);
    await page.goto('/');
    await page.getByRole('button', { name: words.getHelp, exact: true }).tap();
    await page.getByRole('button', { name: words.continue }).tap();
    await page.getByRole('button', { name: 'TVs', exact: true }).tap();
    await fn(page);
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }
}

test('a manager sets opening hours and a shopper reads that the store is closed', async () => {
  const context = await env.browser.newContext(phone('en-US', env.server.url));
  const page = await context.newPage();
  const breakage = watchForBreakage(page);
  try {
    await signIn(page, 'manager.partdieu@example.com');
    await page.getByRole('link', { name: 'Opening hours' }).tap();
    await page.getByRole('heading', { name: 'Opening hours' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Open now.' }).waitFor();
    assert.ok(await page.getByLabel('Always open').isChecked(), 'a store without hours is always open');
    await page.getByLabel('At set hours').check();

    // A mistake is said next to its field, and nothing is sent.
    const monday = page.getByRole('group', { name: 'Monday' });
    await monday.getByLabel('Closes').fill('08:00');
    await page.getByRole('button', { name: 'Save' }).tap();
    await monday.getByText('Closes must be after opens.').waitFor();
    assert.equal(await monday.getByLabel('Closes').getAttribute('aria-invalid'), 'true');
    assert.equal(await monday.getByLabel('Closes').getAttribute('type'), 'time');

    // Monday with a lunch break.
    await monday.getByLabel('Closes').fill('12:30');
    await monday.getByRole('button', { name: 'Add hours on Monday' }).tap();
    await monday.getByLabel('Opens').nth(1).fill('14:00');
    await monday.getByLabel('Closes').nth(1).fill('20:00');

    // Sunday opens too, so that the store opens at 09:00 tomorrow whatever today is.
    const sunday = page.getByRole('group', { name: 'Sunday' });
    assert.ok(await sunday.getByLabel('Closed all day').isChecked());
    await sunday.getByLabel('Closed all day').uncheck();
    assert.equal(await sunday.getByLabel('Opens').inputValue(), '09:00');

    // Today is an exception: closed all day.
    await page.getByRole('button', { name: 'Add an exception' }).tap();
    const today = page.getByRole('group', { name: 'Exception 1' });
    await today.getByLabel('Date').fill(todayInLyon());
    assert.ok(await today.getByLabel('Closed all day').isChecked());

    await page.getByRole('button', { name: 'Save' }).tap();
    await page.getByRole('status').filter({ hasText: 'Opening hours saved.' }).waitFor();
    await page.getByText('Closed now — opens tomorrow at 09:00.').waitFor();
    // What was saved is what the screen shows again.
    assert.equal(await page.getByRole('group', { name: 'Monday' }).getByLabel('Opens').nth(1).inputValue(), '14:00');
    assert.equal(await page.getByRole('group', { name: 'Exception 1' }).getByLabel('Date').inputValue(), todayInLyon());
    await assertAccessible(page, 'opening hours');
    await screenshot(page, 'hours');

    await page.reload();
    await page.getByText('Closed now — opens tomorrow at 09:00.').waitFor();
    assert.ok(await page.getByLabel('At set hours').isChecked());
    assert.deepEqual(breakage, []);
  } finally {
    await context.close();
  }

  await shopperAtPartDieu('en-US', async (page) => {
    await page.getByRole('heading', { name: 'Your request' }).waitFor();
    await page.getByText('Helpforce Part-Dieu is closed — opens tomorrow at 09:00').waitFor();
    await page.getByText('You can still send your request: our remote team will answer it.').waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor();
    await assertAccessible(page, 'request to a closed store');
    await screenshot(page, 'hours-closed-store');
  });
  await shopperAtPartDieu('fr-FR', async (page) => {
    await page.getByRole('heading', { name: 'Votre demande' }).waitFor();
    await page.getByText('Helpforce Part-Dieu est fermé — ouvre demain à 09:00').waitFor();
  });
});
