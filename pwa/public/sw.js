// Service worker: keeps the app shell on the phone so it opens on a weak in-store
// signal or none at all, and shows push alerts. API answers are never cached: a
// stale queue or status would send staff to the wrong customer.

importScripts('/js/notification-core.js');

// Bump on every change to an app file: files are served cache-first, so a new
// name is what makes phones fetch the new files and drop the old ones.
const CACHE = 'helpforce-shell-v11';

// What a shopper's phone keeps on its first visit: the shopper's screens and
// their strings in the phone's language ({lang}), nothing of the staff app.
const SHELL = [
  '/index.html',
  '/offline.html',
  '/manifest.webmanifest',
  '/css/app.css',
  '/css/help.css',
  '/css/live.css',
  '/css/ops.css',
  '/js/alerts.js',
  '/js/api.js',
  '/js/app.js',
  '/js/barcode.js',
  '/js/chat-product.js',
  '/js/chat.js',
  '/js/dom.js',
  '/js/flow.js',
  '/js/i18n.js',
  '/js/keep.js',
  '/js/notification-core.js',
  '/js/offline.js',
  '/js/opening.js',
  '/js/photos.js',
  '/js/problem.js',
  '/js/product-card.js',
  '/js/products.js',
  '/js/shopper.js',
  '/js/stream.js',
  '/js/time.js',
  '/js/screens/alerts-panel.js',
  '/js/screens/departments.js',
  '/js/screens/help.js',
  '/js/screens/holds.js',
  '/js/screens/home.js',
  '/js/screens/live.js',
  '/js/screens/picker.js',
  '/js/screens/rating.js',
  '/js/screens/request.js',
  '/js/screens/spot.js',
  '/i18n/{lang}.js',
  '/i18n/{lang}-ops.js',
  '/i18n/{lang}-hours.js',
  '/i18n/{lang}-conversations.js',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/maskable-512.png',
  '/icons/apple-touch-icon.png',
];

// The staff app, kept once a staff member has signed in on this phone (the
// page says so with a 'keep-staff' message), so it opens offline after that.
const STAFF = [
  '/css/spots.css',
  '/js/charts.js',
  '/js/staff-app.js',
  '/js/screens/console.js',
  '/js/screens/conversations.js',
  '/js/screens/desk.js',
  '/js/screens/escalate.js',
  '/js/screens/floor.js',
  '/js/screens/hours.js',
  '/js/screens/hours-rows.js',
  '/js/screens/inventory.js',
  '/js/screens/password.js',
  '/js/screens/people.js',
  '/js/screens/picklist.js',
  '/js/screens/queue.js',
  '/js/screens/replies.js',
  '/js/screens/report-view.js',
  '/js/screens/reports.js',
  '/js/screens/requests-log.js',
  '/js/screens/sheet.js',
  '/js/screens/shortcuts.js',
  '/js/screens/signin.js',
  '/js/screens/spots.js',
  '/js/screens/staff.js',
  '/i18n/{lang}-staff.js',
  '/i18n/{lang}-account.js',
  '/i18n/{lang}-manage.js',
  '/i18n/{lang}-people.js',
  '/i18n/{lang}-reports.js',
];

const LANGUAGES = ['en', 'fr'];

// Paths the server answers itself and that must always be live.
const NETWORK_ONLY = ['/api/', '/healthz', '/readyz', '/metrics'];

function inLanguage(list, lang) {
  return list.map((path) => path.replace('{lang}', lang));
}

// Every shell path in any language: a phone whose language changed keeps the
// new strings the first time it loads them.
const SHELL_ANY_LANGUAGE = new Set(LANGUAGES.flatMap((lang) => inLanguage(SHELL, lang)));

async function put(cache, path) {
  // Bypass the HTTP cache so a new version never keeps an old file.
  const res = await fetch(path, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`cache ${path}: HTTP ${res.status}`);
  // A redirected response may not answer a navigation (Fetch spec), so store
  // a plain copy in case the server redirects /index.html.
  const copy = res.redirected
    ? new Response(await res.blob(), { status: res.status, statusText: res.statusText, headers: res.headers })
    : res;
  await cache.put(path, copy);
}

// The phone's language as the page picks it (js/i18n.js), for a worker
// installed before the page could say which it chose.
function phoneLanguage() {
  for (const tag of self.navigator.languages || [self.navigator.language]) {
    const primary = String(tag || '').toLowerCase().split('-')[0];
    if (LANGUAGES.includes(primary)) return primary;
  }
  return 'en';
}

// keepFiles stores list's files in the phone's language, each with keep:
// put fetches every one anew, keepOnce only those not kept yet.
async function keepFiles(list, keep = put) {
  const lang = (await kept('lang')) || phoneLanguage();
  const cache = await caches.open(CACHE);
  await Promise.all(inLanguage(list, lang).map((path) => keep(cache, path)));
}

// The staff app is asked for on every sign-in and page load. A file this
// version already keeps is not fetched again (its name changes with every
// release), and a file already on its way is not fetched twice: replacing it
// would drop it from the cache for a moment.
const keeping = new Map();

function keepOnce(cache, path) {
  if (!keeping.has(path)) {
    const done = (async () => {
      if (!(await cache.match(path))) await put(cache, path);
    })().finally(() => keeping.delete(path));
    keeping.set(path, done);
  }
  return keeping.get(path);
}

// Whether an earlier version kept the staff app: a staff phone stays ready
// for offline use across releases.
async function hadStaff() {
  for (const name of await caches.keys()) {
    if (name.startsWith('helpforce-') && name !== CACHE && await (await caches.open(name)).match('/js/staff-app.js')) return true;
  }
  return false;
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    await keepFiles(SHELL);
    if (await hadStaff()) await keepFiles(STAFF);
    await self.skipWaiting();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'keep-staff') event.waitUntil(keepFiles(STAFF, keepOnce));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('helpforce-') && name !== CACHE) await caches.delete(name);
    }
    // Take over pages opened before this worker, so the first visit is already
    // covered when the signal drops.
    await self.clients.claim();
  })());
});

async function fromNetworkThenShell(request) {
  try {
    return await fetch(request);
  } catch {
    const cache = await caches.open(CACHE);
    return (await cache.match('/index.html')) || (await cache.match('/offline.html')) || Response.error();
  }
}

async function fromShellThenNetwork(request, path) {
  const cached = await caches.match(request, { cacheName: CACHE });
  if (cached) return cached;
  const res = await fetch(request);
  if (res.ok && SHELL_ANY_LANGUAGE.has(path)) {
    const copy = res.clone();
    caches.open(CACHE).then((cache) => cache.put(path, copy)).catch(() => {});
  }
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((p) => url.pathname.startsWith(p))) return;

  if (request.mode === 'navigate') {
    event.respondWith(fromNetworkThenShell(request));
    return;
  }
  event.respondWith(fromShellThenNetwork(request, url.pathname));
});

// --- Push alerts -----------------------------------------------------------

const API = '/api/v1';

function kept(key) {
  return new Promise((resolve) => {
    try {
      const req = indexedDB.open('helpforce', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('kv');
      req.onerror = () => resolve(undefined);
      req.onsuccess = () => {
        const db = req.result;
        const get = db.transaction('kv').objectStore('kv').get(key);
        get.onsuccess = () => { resolve(get.result); db.close(); };
        get.onerror = () => { resolve(undefined); db.close(); };
      };
    } catch {
      resolve(undefined);
    }
  });
}

// The staff calls a notification button makes: the session cookie rides along,
// the CSRF token comes from what the page kept for us.
async function staffCall(method, path) {
  const csrf = await kept('csrf');
  const headers = { Accept: 'application/json' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  return fetch(API + path, { method, headers, credentials: 'include', cache: 'no-store' });
}

async function updateBadge() {
  if (!('setAppBadge' in self.navigator)) return;
  try {
    const res = await staffCall('GET', '/queue');
    if (!res.ok) return;
    const waiting = (await res.json()).length;
    if (waiting > 0) await self.navigator.setAppBadge(waiting);
    else await self.navigator.clearAppBadge();
  } catch {
    // The badge is a hint; the alert itself is what matters.
  }
}

self.addEventListener('push', (event) => {
  // Always show something: Safari revokes the subscription of a worker that
  // receives a push without showing a notification, and Chrome shows its own.
  event.waitUntil((async () => {
    let payload = {};
    try {
      payload = event.data ? event.data.json() : {};
    } catch {
      payload = { body: event.data ? event.data.text() : '' };
    }
    const lang = (await kept('lang')) || 'en';
    const { title, options } = self.buildNotification(payload, lang);
    await self.registration.showNotification(title, options);
    if (payload.type === 'help_request' || payload.type === 'withdrawn') await updateBadge();
  })());
});

async function openPage(url) {
  const target = new URL(url || '/', self.location.origin);
  const path = target.origin === self.location.origin ? target.pathname + target.search : '/';
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const existing = windows.find((w) => new URL(w.url).origin === self.location.origin);
  if (existing) {
    // The app routes by itself, without a reload that would drop its state.
    const focused = await existing.focus().catch(() => existing);
    (focused || existing).postMessage({ type: 'open', url: path });
    return;
  }
  await self.clients.openWindow(path);
}

self.addEventListener('notificationclick', (event) => {
  const note = event.notification;
  const data = note.data || {};
  note.close();
  event.waitUntil((async () => {
    let open = true;
    if ((event.action === 'accept' || event.action === 'pass') && data.request_id) {
      let ok = false;
      try {
        const res = await staffCall('POST', `/help-requests/${encodeURIComponent(data.request_id)}/${event.action}`);
        ok = res.ok;
      } catch {
        ok = false;
      }
      // A pass that went through needs nothing more; anything else opens the
      // request, which says whether it is theirs and offers the choice again.
      if (event.action === 'pass' && ok) open = false;
    }
    if (open) await openPage(data.url);
  })());
});

// The push service replaced the subscription (or expired it): subscribe again
// with the same key and tell the server, as whoever turned alerts on.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil((async () => {
    const old = event.oldSubscription;
    const key = old && old.options && old.options.applicationServerKey;
    const sub = event.newSubscription || (key
      ? await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key })
      : null);
    const who = await kept('alertsAuth');
    if (!sub || !who) return;
    const { endpoint, keys } = sub.toJSON();
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const init = { method: 'POST', headers, body: JSON.stringify({ endpoint, keys }), cache: 'no-store' };
    if (who.kind === 'shopper' && who.token) {
      headers.Authorization = `Bearer ${who.token}`;
      init.credentials = 'omit';
    } else {
      const csrf = await kept('csrf');
      if (csrf) headers['X-CSRF-Token'] = csrf;
      init.credentials = 'include';
    }
    await fetch(`${API}/push/subscriptions`, init);
  })());
});
