// Shopper steps several journeys share: a phone standing in Helpforce
// Part-Dieu asks for help with TVs.
import { phone } from './browser.mjs';

export const PART_DIEU = { latitude: 45.76115, longitude: 4.85572, accuracy: 10 };

/** A phone in Part-Dieu that shares its location. */
export function shopperAt(baseURL, locale = 'en-US') {
  return { ...phone(locale, baseURL), permissions: ['geolocation'], geolocation: PART_DIEU };
}

/** From the start page to the request form, for TVs at Part-Dieu. */
export async function toRequestForm(page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Get help', exact: true }).tap();
  await page.getByRole('heading', { name: 'You’re at Helpforce Part-Dieu' }).waitFor();
  await page.getByRole('button', { name: 'Continue' }).tap();
  await page.getByRole('button', { name: 'TVs', exact: true }).tap();
  await page.getByRole('heading', { name: 'Your request' }).waitFor();
}

/** Asks for help with TVs, with a note, and lands on the live request. */
export async function askForHelp(page, note) {
  await toRequestForm(page);
  await page.getByLabel('Note (optional)').fill(note);
  await page.getByRole('button', { name: 'Send' }).tap();
  await page.waitForURL('**/help/requests/*');
}
