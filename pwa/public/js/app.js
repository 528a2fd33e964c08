// Boot and routing. Paths are real URLs (/, /help, /staff, …) so they can be bookmarked,
// shared and opened from a notification; the server answers any of them with
// index.html and this file picks the screen. Only the start page comes with this
// file: every other screen is fetched when first opened (the service worker keeps
// the shopper's ones), and the staff part only for a /staff path.
import { api, ApiError, cookie } from './api.js';
import { h } from './dom.js';
import { hasStrings, initLanguage, loadShopperStrings, loadStaffStrings, t } from './i18n.js';
import { keep } from './keep.js';
import { homeScreen } from './screens/home.js';
import { openRequest } from './shopper.js';

const main = document.getElementById('main');

// The signed-in person, once known in this page's life; null means "ask /me".
let user = null;
let flash = '';
let renders = 0;
let shown = null;

// The service worker acts on notification buttons for the signed-in person; it
// needs the session's CSRF token, which only a page can read. A staff member
// signed in on this phone also wants the staff screens kept for offline use.
function shareSession() {
  keep('csrf', user ? cookie('__Host-helpforce_csrf') : '');
  if (user && 'serviceWorker' in navigator) {
    navigator.serviceWorker.ready.then((reg) => reg.active && reg.active.postMessage({ type: 'keep-staff' }));
  }
}

function navigate(path, { replace = false, flash: message = '' } = {}) {
  flash = message;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render({ moveFocus: true });
}

const ctx = {
  navigate,
  setUser(u) {
    user = u;
    shareSession();
  },
  signedOut(message) {
    user = null;
    shareSession();
    navigate('/staff', { replace: true, flash: message });
  },
  get user() { return user; },
  get flash() { return flash; },
};

function mount(screen, moveFocus) {
  document.title = screen.title === t('app.name') ? screen.title : `${screen.title} — ${t('app.name')}`;
  if (shown && shown.leave) shown.leave();
  shown = screen;
  main.replaceChildren(screen.node);
  flash = '';
  if (moveFocus) {
    // Screen readers otherwise stay on the control that was just removed.
    const heading = main.querySelector('h1');
    if (heading) heading.focus();
  }
}

function loadingScreen() {
  return {
    title: t('app.name'),
    node: h('section', { class: 'screen' }, h('p', { class: 'status-line', role: 'status' }, t('app.loading'))),
  };
}

function problemScreen(title, message, retry) {
  return {
    title,
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, title),
      h('p', { class: 'form-error', role: 'alert' }, message),
      h('div', { class: 'thumb' }, h('button', { type: 'button', class: 'primary', onclick: retry }, t('error.retry'))),
    ),
  };
}

function notFoundScreen() {
  return {
    title: t('notFound.title'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('notFound.title')),
      h('p', {}, t('notFound.body')),
      h('div', { class: 'thumb' }, h('a', { href: '/', class: 'quiet-link' }, t('notFound.home'))),
    ),
  };
}

// A screen's module or /me could not be had: the server failed, or the phone
// is offline (a module that cannot be fetched fails with a TypeError).
function problemText(err) {
  return err instanceof ApiError ? t('error.server') : t('error.network');
}

// What a phone that has not even the app's words shows: the page came, so a
// reload may bring the rest.
function noWordsScreen() {
  return {
    title: 'Helpforce',
    node: h('section', { class: 'screen' },
      h('p', { class: 'form-error', role: 'alert' }, 'No connection — check your signal and try again.'),
      h('div', { class: 'thumb' }, h('button', { type: 'button', class: 'primary', onclick: () => location.reload() }, 'Try again'))),
  };
}

/**
 * Mounts the screen make(module) builds once load() has fetched its module,
 * and the strings have come (fetched alongside, not after). Only a slow fetch
 * shows a loading line, so a quick one doesn't flicker.
 */
async function lazy(load, make, moveFocus, token, problemTitle = 'offline.title') {
  const slow = setTimeout(() => { if (token === renders && hasStrings()) mount(loadingScreen(), false); }, 300);
  let loaded;
  try {
    [loaded] = await Promise.all([load(), loadShopperStrings()]);
  } catch (err) {
    if (token !== renders) return;
    if (!hasStrings()) mount(noWordsScreen(), moveFocus);
    else mount(problemScreen(t(problemTitle), problemText(err), () => render({ moveFocus: true })), moveFocus);
    return;
  } finally {
    clearTimeout(slow);
  }
  if (token === renders) mount(make(loaded) || notFoundScreen(), moveFocus);
}

// A stylesheet only staff screens use; resolves once it applies (or failed,
// when the screens still work unstyled).
function stylesheet(href) {
  if (document.querySelector(`link[href="${href}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    document.head.append(h('link', { rel: 'stylesheet', href, onload: resolve, onerror: resolve }));
  });
}

function staffPart() {
  return Promise.all([import('./staff-app.js'), loadStaffStrings(), stylesheet('/css/spots.css')]).then(([part]) => part);
}

// Who is signed in: asked of the server once per page life; null when nobody.
async function whoIsSignedIn() {
  if (user || flash) return user;
  try {
    user = await api.me();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
  shareSession();
  return user;
}

function staffRoute(path, desk, moveFocus, token) {
  const load = () => Promise.all([staffPart(), whoIsSignedIn()]);
  const make = ([part, who]) => (who ? part.staffScreenFor(ctx, path, desk) : part.signInScreen(ctx));
  return lazy(load, make, moveFocus, token, 'signin.title');
}

/** The id a path carries, or '' when it doesn't match or is malformed. */
function idIn(path, pattern) {
  const m = path.match(pattern);
  try {
    return m ? decodeURIComponent(m[1]) : '';
  } catch {
    return '';
  }
}

// The shopper's screens but the start page, as [module loader, builder].
function shopperRoute(path, query) {
  const live = idIn(path, /^\/help\/requests\/([^/]+)$/);
  if (live) return [() => import('./screens/live.js'), (m) => m.liveScreen(ctx, live)];
  if (path === '/help') {
    const spot = query.get('spot');
    // A shelf code opens the request form at once: its parts load together,
    // and the code is looked up while they do.
    if (spot) {
      const code = spot.trim();
      const answer = api.spot(code);
      answer.catch(() => {}); // the screen handles a failure
      // The form's own imports are listed too, so they travel with it rather
      // than one round trip after it.
      const parts = ['./screens/spot.js', './screens/request.js', './screens/picker.js', './screens/departments.js',
        './barcode.js', './opening.js', './problem.js'];
      return [() => Promise.all(parts.map((p) => import(p))).then(([m]) => m), (m) => m.spotScreen(ctx, code, answer)];
    }
    return [() => import('./screens/help.js'), (m) => m.locateScreen(ctx)];
  }
  const hold = idIn(path, /^\/holds\/([^/]+)$/);
  if (hold) return [() => import('./screens/holds.js'), (m) => m.holdScreen(ctx, hold)];
  if (path === '/holds') return [() => import('./screens/holds.js'), (m) => m.myHoldsScreen(ctx)];
  if (path === '/help/products' && query.get('store')) {
    return [() => import('./screens/holds.js'), (m) => m.productsScreen(ctx, query.get('store'), query.get('request') || '')];
  }
  if (path === '/help/store') return [() => import('./screens/picker.js'), (m) => m.storeChoiceScreen(ctx)];
  if (path === '/help/department') {
    return [() => import('./screens/departments.js'), (m) => m.departmentScreen(ctx, query.get('store'))];
  }
  if (path === '/help/request') {
    return [() => import('./screens/request.js'), (m) => m.requestScreen(ctx, query.get('store'), query.get('department') || '')];
  }
  return null;
}

function render({ moveFocus = false } = {}) {
  const token = ++renders;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(location.search);
  if (path === '/') {
    // Reopening the app returns to the request still open on this phone.
    const open = openRequest.get();
    if (open) return navigate(`/help/requests/${encodeURIComponent(open)}`, { replace: true });
    return lazy(() => null, () => homeScreen(ctx), moveFocus, token);
  }
  if (path === '/staff' || path.startsWith('/staff/')) {
    return staffRoute(path, idIn(path, /^\/staff\/requests\/([^/]+)$/), moveFocus, token);
  }
  // Without a store the earlier step is where to start again.
  if ((path === '/help/department' || path === '/help/request') && !query.get('store')) {
    return navigate('/help/store', { replace: true });
  }
  const route = shopperRoute(path, query);
  if (!route) return mount(notFoundScreen(), moveFocus);
  return lazy(...route, moveFocus, token);
}

// Same-origin links change screens without a page load.
document.addEventListener('click', (ev) => {
  const a = ev.target.closest('a[href]');
  if (!a || ev.defaultPrevented || ev.button !== 0) return;
  if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  ev.preventDefault();
  if (url.pathname !== location.pathname) navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => render({ moveFocus: true }));

// The service worker keeps the strings of the language kept here.
const languageKept = keep('lang', initLanguage());
render();

if ('serviceWorker' in navigator) {
  // A tap on a notification while the app is open: go to its screen in place.
  navigator.serviceWorker.addEventListener('message', (ev) => {
    const data = ev.data || {};
    if (data.type === 'open' && typeof data.url === 'string' && data.url.startsWith('/') && !data.url.startsWith('//')) {
      navigate(data.url);
    }
  });
  // After load, so installing the shell never competes with the first paint.
  window.addEventListener('load', () => {
    languageKept.then(() => navigator.serviceWorker.register('/sw.js')).then(async () => {
      // Only a phone that allowed alerts has a subscription to renew; the
      // others (every first visit) never fetch the alerts code for it.
      if (!('Notification' in window) || Notification.permission !== 'granted') return;
      const { renewAlerts } = await import('./alerts.js');
      await renewAlerts();
    }).catch(() => {
      // Without a worker the app still works online; nothing to tell the person.
    });
  });
}
