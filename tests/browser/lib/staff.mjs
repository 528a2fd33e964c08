// Staff steps several journeys share: sign in with a demo account, go available.

export const PASSWORD = 'helpforce-demo';

export async function signIn(page, email) {
  await page.goto('/staff');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Hello, / }).waitFor();
}

export async function goAvailable(page) {
  await page.getByLabel('Available', { exact: true }).check();
  await page.getByText('You are available').waitFor();
}
