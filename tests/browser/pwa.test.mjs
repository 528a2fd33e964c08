// The app is installable and keeps working when the store's signal drops.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TESTS_DIR } from './lib/server.mjs';
import { onPhone, serverAndBrowser } from './lib/suite.mjs';

const PUBLIC = path.resolve(TESTS_DIR, '../pwa/public');

const env = serverAndBrowser();

// Width and height from a PNG's IHDR chunk, which always comes first.
function pngSize(buf) {
  assert.equal(buf.subarray(1, 4).toString('latin1'), 'PNG', 'not a PNG');
  return `${buf.readUInt32BE(16)}x${buf.readUInt32BE(20)}`;
}

test('the manifest describes an installable app with real icons', async () => {
  const res = await fetch(`${env.server.url}/manifest.webmanifest`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('cache-control') || '', /no-cache/);
  const m = await res.json();
  assert.equal(m.name, 'Helpforce');
  assert.equal(m.short_name, 'Helpforce');
  assert.equal(m.start_url, '/');
  assert.equal(m.scope, '/');
  assert.equal(m.display, 'standalone');
  assert.match(m.background_color, /^#[0-9a-f]{6}$/i);
  assert.match(m.theme_color, /^#[0-9a-f]{6}$/i);

  const want = [['192x192', 'any'], ['512x512', 'any'], ['512x512', 'maskable']];
  for (const [sizes, purpose] of want) {
    const icon = m.icons.find((i) => i.sizes === sizes && (i.purpose || 'any').split(' ').includes(purpose));
    assert.ok(icon, `an icon ${sizes} for ${purpose}`);
    const img = await fetch(new URL(icon.src, env.server.url));
    assert.equal(img.status, 200, icon.src);
    assert.equal(pngSize(Buffer.from(await img.arrayBuffer())), sizes, icon.src);
  }
});

test('the shell is served with its caching and security headers', async () => {
  const sw = await fetch(`${env.server.url}/sw.js`);
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get('content-type') || '', /javascript/);
  assert.match(sw.headers.get('cache-control') || '', /no-cache/);

  // Screens have real paths, so /staff must answer with the app, not a 404.
  for (const route of ['/', '/staff']) {
    const res = await fetch(`${env.server.url}${route}`);
    assert.equal(res.status, 200, route);
    assert.match(res.headers.get('content-type') || '', /text\/html/, route);
    assert.match(res.headers.get('cache-control') || '', /no-cache/, route);
    assert.match(res.headers.get('content-security-policy') || '', /script-src 'self'/, route);
    assert.match(await res.text(), /<script type="module" src="\/js\/app.js">/, route);
  }
});

test('the service worker takes control and the app opens offline', async () => {
  await onPhone(env, 'en-US', async (page, breakage, context) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Get help', exact: true }).waitFor();

    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, `${env.server.url}/`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const caches = await page.evaluate(() => caches.keys());
    assert.ok(caches.some((name) => /^helpforce-shell-v\d+$/.test(name)), `caches: ${caches}`);

    await context.setOffline(true);
    // Prove the page really has no network, or the reload below proves nothing.
    const reach = await page.evaluate(() => fetch('/api/v1/stores', { cache: 'no-store' }).then(() => 'online', () => 'offline'));
    assert.equal(reach, 'offline');

    await page.reload();
    await page.getByRole('button', { name: 'Get help', exact: true }).waitFor();

    // A screen that needs the server says what is wrong and what to do.
    await page.goto('/staff');
    await page.getByRole('alert').filter({ hasText: 'No connection — check your signal and try again.' }).waitFor();

    await context.setOffline(false);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Staff sign in' }).waitFor();

    assert.deepEqual(breakage, []);
  });
});

// The lists of paths sw.js declares as const NAME = [...], with {lang} filled.
function swList(sw, name, langs = ['en', 'fr']) {
  const list = sw.match(new RegExp(`const ${name} = \\[([\\s\\S]*?)\\];`));
  assert.ok(list, `sw.js declares const ${name} = [...]`);
  const paths = [...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
  return [...new Set(langs.flatMap((lang) => paths.map((p) => p.replace('{lang}', lang))))].sort();
}

test('the service worker keeps every file, the staff app only for staff', async () => {
  const files = (await readdir(PUBLIC, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => '/' + path.relative(PUBLIC, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
    .filter((f) => f !== '/sw.js')
    .sort();
  const sw = await readFile(path.join(PUBLIC, 'sw.js'), 'utf8');
  const shell = swList(sw, 'SHELL');
  const staff = swList(sw, 'STAFF');
  assert.deepEqual(shell.filter((f) => staff.includes(f)), [], 'a file in both lists');
  // A file in neither list would be fetched from the network, so the app would break offline.
  assert.deepEqual([...shell, ...staff].sort(), files);
});

test('a shopper’s phone keeps the shopper’s screens; a staff member’s the staff app too', async () => {
  const keptFiles = (page) => page.evaluate(async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith('helpforce-shell-'));
    const cache = await caches.open(names[0]);
    return (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
  });
  const sw = await readFile(path.join(PUBLIC, 'sw.js'), 'utf8');
  await onPhone(env, 'fr-FR', async (page, breakage, context) => {
    await page.goto('/');
    await page.getByRole('button', { name: "Obtenir de l'aide", exact: true }).waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    assert.deepEqual(await keptFiles(page), swList(sw, 'SHELL', ['fr']));

    const login = await context.request.post('/api/v1/auth/login', { data: { email: 'sam@example.com', password: 'helpforce-demo' } });
    assert.equal(login.status(), 200);
    await page.goto('/staff');
    await page.getByRole('heading', { name: /Sam/ }).waitFor();
    const all = swList(sw, 'SHELL', ['fr']).concat(swList(sw, 'STAFF', ['fr'])).sort();
    await page.waitForFunction(async (n) => {
      const names = (await caches.keys()).filter((c) => c.startsWith('helpforce-shell-'));
      return (await (await caches.open(names[0])).keys()).length === n;
    }, all.length);
    assert.deepEqual(await keptFiles(page), all);

    // Every later sign-in or page load asks again: what the phone keeps is
    // not fetched again, so a weak signal is not spent on it.
    const fetched = [];
    context.on('request', (r) => { if (r.serviceWorker() && /\/(js|i18n|css)\//.test(r.url())) fetched.push(new URL(r.url()).pathname); });
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      for (let i = 0; i < 3; i++) reg.active.postMessage({ type: 'keep-staff' });
    });
    await page.reload();
    await page.getByRole('heading', { name: /Sam/ }).waitFor();
    await page.waitForTimeout(1000);
    assert.deepEqual(fetched, []);
    assert.deepEqual(await keptFiles(page), all);

    // With no network at all, the staff app still comes from the phone.
    await context.setOffline(true);
    const offline = await page.evaluate(async () => ({
      console: await fetch('/js/screens/console.js').then((r) => r.ok, () => false),
      api: await fetch('/api/v1/stores', { cache: 'no-store' }).then(() => 'online', () => 'offline'),
    }));
    assert.deepEqual(offline, { console: true, api: 'offline' });
    assert.deepEqual(breakage, []);
  });
});

test('English and French have the same strings', async () => {
  const parts = ['', '-ops', '-hours', '-conversations', '-staff', '-account', '-manage', '-people', '-reports'];
  const load = async (lang) => {
    const table = {};
    for (const part of parts) {
      const m = await import(pathToFileURL(path.join(PUBLIC, 'i18n', `${lang}${part}.js`)));
      for (const key of Object.keys(m.default)) assert.ok(!(key in table), `${key} is in two parts of ${lang}`);
      Object.assign(table, m.default);
    }
    return table;
  };
  const [en, fr] = await Promise.all([load('en'), load('fr')]);
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const [key, text] of Object.entries(en)) {
    const slots = (s) => (s.match(/\{\w+\}/g) || []).sort();
    assert.deepEqual(slots(fr[key]), slots(text), `slots of ${key}`);
  }
});
