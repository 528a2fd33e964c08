// Boot and routing. Paths are real URLs (/, /help, /staff, …) so they can be bookmarked,
// shared and opened from a notification; the server answers any of them with
// index.html and this file picks the screen. Only the start page comes with this
// file: every other screen is fetched when first opened (the service worker keeps
// the shopper's ones), and the staff part only for a /staff path.
import { api, ApiError, cookie, onSessionEnded, Unauthorized } from './api.js';
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

// A call that finds the staff session ended, on any screen: back to sign-in,
// saying why. (Shoppers' calls carry their own token and never end here.)
onSessionEnded(() => {
  if (user) ctx.signedOut('signin.sessionEnded');
});

// The flash message is for the screen being loaded, so the loading line
// shown meanwhile (waiting) leaves it in place.
function mount(screen, moveFocus, waiting = false) {
  document.title = screen.title === t('app.name') ? screen.title : `${screen.title} — ${t('app.name')}`;
  if (shown && shown.leave) shown.leave();
  shown = screen;
  main.replaceChildren(screen.node);
  if (!waiting) flash = '';
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
function loadProblemText(err) {
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
  const slow = setTimeout(() => { if (token === renders && hasStrings()) mount(loadingScreen(), false, true); }, 300);
  let loaded;
  try {
    [loaded] = await Promise.all([load(), loadShopperStrings()]);
  } catch (err) {
    if (token !== renders) return;
    if (!hasStrings()) mount(noWordsScreen(), moveFocus);
    else mount(problemScreen(t(problemTitle), loadProblemText(err), () => render({ moveFocus: true })), moveFocus);
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
    if (err instanceof Unauthorized) return null;
    throw err;
  }
  shareSession();
  return user;
}

// A shelf code opens the request form at once: its parts load together (with
// the form's own imports, so they travel with it rather than one round trip
// after it), and the code is looked up while they do.
const SHELF_FORM = ['./screens/spot.js', './screens/request.js', './screens/picker.js', './screens/departments.js',
  './barcode.js', './opening.js', './problem.js'];
function shelfForm(args, query) {
  const answer = api.spot(query.get('spot').trim());
  answer.catch(() => {}); // the screen handles a failure
  return Promise.all(SHELF_FORM.map((p) => import(p))).then(([m]) => [m, answer]);
}
const holdScreens = () => import('./screens/holds.js');

// Who may open a screen: everyone (shoppers have no account), or signed-in
// staff of these roles; the server checks again on every call.
const STAFF = ['floor', 'manager', 'agent', 'admin'];
const MANAGERS = ['manager', 'admin'];

/**
 * Every screen: {pattern, screen, roles?, load?, query?, redirect?}. pattern's
 * groups are the screen's arguments; query names a parameter the screen needs
 * (without it the next route is tried); redirect(args, query) sends elsewhere
 * first. Shopper screens: screen(loaded, args, query) once load() has fetched
 * their modules. Staff screens (roles): the staff part is loaded and the
 * person signed in first, and screen(part, args) builds from the part.
 */
const ROUTES = [
  {
    pattern: /^\/$/,
    // Reopening the app returns to the request still open on this phone.
    redirect: () => (openRequest.get() ? `/help/requests/${encodeURIComponent(openRequest.get())}` : ''),
    screen: () => homeScreen(ctx),
  },
  { pattern: /^\/help\/requests\/([^/]+)$/, load: () => import('./screens/live.js'), screen: (m, [id]) => m.liveScreen(ctx, id) },
  { pattern: /^\/help$/, query: 'spot', load: shelfForm, screen: ([m, answer], _, q) => m.spotScreen(ctx, q.get('spot').trim(), answer) },
  { pattern: /^\/help$/, load: () => import('./screens/help.js'), screen: (m) => m.locateScreen(ctx) },
  { pattern: /^\/holds\/([^/]+)$/, load: holdScreens, screen: (m, [id]) => m.holdScreen(ctx, id) },
  { pattern: /^\/holds$/, load: holdScreens, screen: (m) => m.myHoldsScreen(ctx) },
  {
    pattern: /^\/help\/products$/, query: 'store', load: holdScreens,
    screen: (m, _, q) => m.productsScreen(ctx, q.get('store'), q.get('request') || ''),
  },
  { pattern: /^\/help\/store$/, load: () => import('./screens/picker.js'), screen: (m) => m.storeChoiceScreen(ctx) },
  // Without a store the earlier step is where to start again.
  {
    pattern: /^\/help\/department$/, redirect: (_, q) => (q.get('store') ? '' : '/help/store'),
    load: () => import('./screens/departments.js'), screen: (m, _, q) => m.departmentScreen(ctx, q.get('store')),
  },
  {
    pattern: /^\/help\/request$/, redirect: (_, q) => (q.get('store') ? '' : '/help/store'),
    load: () => import('./screens/request.js'),
    screen: (m, _, q) => m.requestScreen(ctx, q.get('store'), q.get('department') || ''),
  },
  { pattern: /^\/staff$/, roles: STAFF, screen: (s) => s.staffScreen(ctx) },
  { pattern: /^\/staff\/requests\/([^/]+)$/, roles: STAFF, screen: (s, [id]) => s.deskScreen(ctx, id) },
  { pattern: /^\/staff\/password$/, roles: STAFF, screen: (s) => s.passwordScreen(ctx) },
  // Each of these says itself when the person's role has no use for it.
  { pattern: /^\/staff\/holds$/, roles: STAFF, screen: (s) => s.pickListScreen(ctx) },
  { pattern: /^\/staff\/pickup$/, roles: STAFF, screen: (s) => s.pickupScreen(ctx) },
  { pattern: /^\/staff\/console$/, roles: STAFF, screen: (s) => s.consoleScreen(ctx) },
  { pattern: /^\/staff\/replies$/, roles: STAFF, screen: (s) => s.repliesScreen(ctx) },
  { pattern: /^\/staff\/inventory$/, roles: STAFF, screen: (s) => s.inventoryScreen(ctx) },
  { pattern: /^\/staff\/spots$/, roles: MANAGERS, screen: (s) => s.spotsScreen(ctx) },
  { pattern: /^\/staff\/spots\/print$/, roles: MANAGERS, screen: (s) => s.sheetScreen(ctx) },
  { pattern: /^\/staff\/floor$/, roles: MANAGERS, screen: (s) => s.floorScreen(ctx) },
  { pattern: /^\/staff\/reports$/, roles: MANAGERS, screen: (s) => s.reportsScreen(ctx) },
  { pattern: /^\/staff\/people$/, roles: MANAGERS, screen: (s) => s.peopleScreen(ctx) },
  { pattern: /^\/staff\/requests-log$/, roles: MANAGERS, screen: (s) => s.requestsLogScreen(ctx) },
  { pattern: /^\/staff\/hours$/, roles: MANAGERS, screen: (s) => s.hoursScreen(ctx) },
  // Any other staff path: not found, once signed in.
  { pattern: /^\/staff\//, roles: STAFF, screen: () => null },
];

/** The route for path and query with its arguments, or null when none matches. */
function match(path, query) {
  for (const route of ROUTES) {
    const m = path.match(route.pattern);
    if (!m || (route.query && !query.get(route.query))) continue;
    try {
      return { route, args: m.slice(1).map(decodeURIComponent) };
    } catch {
      return null; // a malformed id
    }
  }
  return null;
}

// A staff screen: the staff part and who is signed in come together; nobody
// signed in gets the sign-in screen, a person whose role the screen is not
// for is told so, and after a password reset only the new password is asked.
function staffScreen(route, args, moveFocus, token) {
  const load = () => Promise.all([staffPart(), whoIsSignedIn()]);
  const make = ([part, who]) => {
    if (!who) return part.signInScreen(ctx);
    if (who.must_change_password) return part.passwordScreen(ctx);
    if (!route.roles.includes(who.role)) return part.forbiddenScreen();
    return route.screen(part, args);
  };
  return lazy(load, make, moveFocus, token, 'signin.title');
}

function render({ moveFocus = false } = {}) {
  const token = ++renders;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(location.search);
  const found = match(path, query);
  if (!found) return mount(notFoundScreen(), moveFocus);
  const { route, args } = found;
  const elsewhere = route.redirect && route.redirect(args, query);
  if (elsewhere) return navigate(elsewhere, { replace: true });
  if (route.roles) return staffScreen(route, args, moveFocus, token);
  const load = route.load ? () => route.load(args, query) : () => null;
  return lazy(load, (loaded) => route.screen(loaded, args, query), moveFocus, token);
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
