// Nobody waits while someone is free: the floor's only free member, Sam, is
// helping a first shopper when a second asks. With nobody free and no agent on
// duty the request waits with the remote team; Sam sees it in "Waiting now",
// marked as such, and the moment Sam finishes it is offered to Sam, who takes
// it back to the floor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccessible } from './lib/a11y.mjs';
import { phone, watchForBreakage } from './lib/browser.mjs';
import { screenshot } from './lib/shots.mjs';
import { goAvailable, signIn } from './lib/staff.mjs';
import { askForHelp, shopperAt } from './lib/shopper.mjs';
import { serverAndBrowser } from './lib/suite.mjs';

const LIVE = { timeout: 5000 };

const env = serverAndBrowser();

function shopperOptions() {
  return shopperAt(env.server.url);
}

test('the second shopper reaches Sam within seconds of Sam finishing', async () => {
  const staff = await env.browser.newContext(phone('en-US', env.server.url));
  const first = await env.browser.newContext(shopperOptions());
  const second = await env.browser.newContext(shopperOptions());
  const sam = await staff.newPage();
  const one = await first.newPage();
  const two = await second.newPage();
  const breakage = [sam, one, two].map(watchForBreakage);
  try {
    await signIn(sam, 'sam@example.com');
    await goAvailable(sam);

    await askForHelp(one, 'Which soundbar goes with this TV?');
    const firstCard = sam.locator('.queue .card').filter({ hasText: 'Which soundbar goes with this TV?' });
    await firstCard.getByRole('button', { name: 'Accept' }).tap(LIVE);
    await sam.getByText('You are helping this customer').waitFor();
    await one.getByText('Sam Moreau is on the way').waitFor(LIVE);

    // Sam is busy, nobody else is on the floor, no agent is on duty.
    await askForHelp(two, 'Do you have HDMI 2.1 cables?');
    await two.getByText('Nobody at our help desk is free right now — you’ll get an answer as soon as someone is.').waitFor();

    await sam.goto('/staff');
    const parked = sam.locator('.queue .card').filter({ hasText: 'Do you have HDMI 2.1 cables?' });
    await parked.getByText('With the remote team — nobody there has taken it').waitFor(LIVE);
    await assertAccessible(sam, 'staff queue with a request parked with the remote team');

    // The request page says who has it, and offers "Take it".
    await parked.getByRole('link', { name: 'TVs' }).click();
    await sam.getByText(/^Waiting with the remote team/).waitFor();
    await sam.getByRole('button', { name: 'Take it' }).waitFor();

    // Sam finishes with the first shopper: free again, offered the second.
    await sam.goto('/staff');
    await sam.locator('.cards .card').filter({ hasText: 'Which soundbar goes with this TV?' }).getByRole('link').click();
    await sam.getByRole('button', { name: 'Resolve' }).tap();
    await sam.getByRole('status').filter({ hasText: 'Resolved' }).waitFor();

    await sam.goto('/staff');
    await parked.getByRole('button', { name: 'Accept' }).tap(LIVE);
    await sam.getByText('You are helping this customer').waitFor();
    await two.getByText('Sam Moreau is on the way').waitFor(LIVE);
    await screenshot(two, 'request-taken-back-by-the-floor');

    const log = sam.locator('.handoff-log');
    await log.getByRole('listitem').filter({ hasText: 'offered when Sam Moreau became free' }).waitFor(LIVE);
    await log.getByRole('listitem').filter({ has: sam.getByText('Taken back by the floor', { exact: true }) }).waitFor(LIVE);
    assert.deepEqual(breakage.flat(), []);
  } finally {
    await staff.close();
    await first.close();
    await second.close();
  }
});
