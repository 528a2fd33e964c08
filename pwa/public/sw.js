// Service worker: keeps the app shell on the phone so it opens on a weak in-store
// signal or none at all. API answers are never cached: a stale queue or status
// would send staff to the wrong customer.

// Bump on every change to a shell file: the shell is served cache-first, so a
// new name is what makes phones fetch the new files and drop the old ones.
const CACHE = 'helpforce-shell-v2';

const SHELL = [
  '/index.html',
  '/offline.html',
  '/manifest.webmanifest',
  '/css/app.css',
  '/css/help.css',
  '/css/spots.css',
  '/js/app.js',
  '/js/api.js',
  '/js/dom.js',
  '/js/flow.js',
  '/js/i18n.js',
  '/js/offline.js',
  '/js/screens/departments.js',
  '/js/screens/help.js',
  '/js/screens/home.js',
  '/js/screens/picker.js',
  '/js/screens/request.js',
  '/js/screens/sheet.js',
  '/js/screens/signin.js',
  '/js/screens/spot.js',
  '/js/screens/spots.js',
  '/js/screens/staff.js',
  '/i18n/en.js',
  '/i18n/fr.js',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/maskable-512.png',
  '/icons/apple-touch-icon.png',
];

// Paths the server answers itself and that must always be live.
const NETWORK_ONLY = ['/api/', '/healthz', '/readyz', '/metrics'];

async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all(SHELL.map(async (path) => {
    // Bypass the HTTP cache so a new version never precaches an old file.
    const res = await fetch(path, { cache: 'no-cache' });
    if (!res.ok) throw new Error(`precache ${path}: HTTP ${res.status}`);
    // A redirected response may not answer a navigation (Fetch spec), so store
    // a plain copy in case the server redirects /index.html.
    const copy = res.redirected
      ? new Response(await res.blob(), { status: res.status, statusText: res.statusText, headers: res.headers })
      : res;
    await cache.put(path, copy);
  }));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
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

async function fromShellThenNetwork(request) {
  const cached = await caches.match(request, { cacheName: CACHE });
  return cached || fetch(request);
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
  event.respondWith(fromShellThenNetwork(request));
});
