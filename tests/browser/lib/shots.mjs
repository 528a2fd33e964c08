// Screenshots of each screen for people reviewing a change; a few are kept in
// docs/ to show what the app looks like, refreshed only on request
// (HELPFORCE_DOCS_SCREENSHOTS=1) so an ordinary test run leaves the tree clean.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TESTS_DIR } from './server.mjs';

const SHOTS = path.join(TESTS_DIR, 'screenshots');
const DOCS = path.resolve(TESTS_DIR, '../docs/screenshots');

export async function screenshot(page, name, { docs = false } = {}) {
  await mkdir(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  if (docs && process.env.HELPFORCE_DOCS_SCREENSHOTS === '1') {
    await mkdir(DOCS, { recursive: true });
    await copyFile(file, path.join(DOCS, `${name}.png`));
  }
  return file;
}
