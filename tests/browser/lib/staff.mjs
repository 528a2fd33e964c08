// Staff steps several journeys share: sign in with a demo account, go available.

export const PASSWORD = 'helpforce-demo';
// The demo admin has no published password; the test server is started with this one.
export const ADMIN_PASSWORD = 'helpforce-e2e-admin';

export function passwordOf(email) {
  return email === 'admin@example.com' ? ADMIN_PASSWORD : PASSWORD;
}

export async function signIn(page, email) {
  await page.goto('/staff');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(passwordOf(email));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Hello, / }).waitFor();
}

export async function goAvailable(page) {
  await page.getByLabel('Available', { exact: true }).check();
  await page.getByText('You are available').waitFor();
}

/** Takes the request with note from the queue and lands on its page. */
export async function take(page, note) {
  const card = page.locator('.queue .card').filter({ hasText: note });
  await card.waitFor({ timeout: 5000 });
  await card.getByRole('button', { name: 'Accept' }).tap();
  await page.waitForURL('**/staff/requests/*');
  await page.getByText('You are helping this customer').waitFor();
}
