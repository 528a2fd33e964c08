// Boot and routing. Paths are real URLs (/, /help, /staff, …) so they can be bookmarked,
// shared and opened from a notification; the server answers any of them with
// index.html and this file picks the screen.
import { renewAlerts } from './alerts.js';
import { api, ApiError, cookie, NetworkError } from './api.js';
import { h } from './dom.js';
import { initLanguage, t } from './i18n.js';
import { keep } from './keep.js';
import { departmentScreen } from './screens/departments.js';
import { consoleScreen } from './screens/console.js';
import { deskScreen } from './screens/desk.js';
import { floorScreen } from './screens/floor.js';
import { locateScreen } from './screens/help.js';
import { holdScreen, myHoldsScreen, productsScreen } from './screens/holds.js';
import { homeScreen } from './screens/home.js';
import { hoursScreen } from './screens/hours.js';
import { inventoryScreen } from './screens/inventory.js';
import { liveScreen } from './screens/live.js';
import { storeChoiceScreen } from './screens/picker.js';
import { pickListScreen, pickupScreen } from './screens/picklist.js';
import { peopleScreen } from './screens/people.js';
import { repliesScreen } from './screens/replies.js';
import { reportsScreen } from './screens/reports.js';
import { requestScreen } from './screens/request.js';
import { requestsLogScreen } from './screens/requests-log.js';
import { sheetScreen } from './screens/sheet.js';
import { signInScreen } from './screens/signin.js';
import { spotScreen } from './screens/spot.js';
import { managesSpots, spotsScreen } from './screens/spots.js';
import { staffScreen } from './screens/staff.js';
import { openRequest } from './shopper.js';

const main = document.getElementById('main');

// The signed-in person, once known in this page's life; null means "ask /me".
let user = null;
let flash = '';
let renders = 0;
let shown = null;

// The service worker acts on notification buttons for the signed-in person; it
// needs the session's CSRF token, which only a page can read.
function shareSession() {
  keep('csrf', user ? cookie('helpforce_csrf') : '');
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

function problemScreen(message, retry) {
  return {
    title: t('staff.pageTitle'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('signin.title')),
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

function forbiddenScreen() {
  return {
    title: t('spots.title'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('spots.title')),
      h('p', { class: 'form-error', role: 'alert' }, t('spots.forbidden')),
      h('div', { class: 'thumb' }, h('a', { href: '/staff', class: 'quiet-link' }, t('spots.back'))),
    ),
  };
}

// Screens only some roles may open; the server checks again on every call.
function staffScreenFor(screen) {
  if (screen === staffScreen || screen.forEveryStaff || managesSpots(user)) return screen(ctx);
  return forbiddenScreen();
}

// Screens every signed-in staff member may open; each checks its own role.
const STAFF_PATHS = {
  '/staff/holds': pickListScreen,
  '/staff/pickup': pickupScreen,
  '/staff/console': consoleScreen,
  '/staff/replies': repliesScreen,
  '/staff/inventory': inventoryScreen,
};
for (const screen of Object.values(STAFF_PATHS)) screen.forEveryStaff = true;

// Screens for shift managers and admins only.
const MANAGER_PATHS = {
  '/staff/floor': floorScreen,
  '/staff/reports': reportsScreen,
  '/staff/people': peopleScreen,
  '/staff/requests-log': requestsLogScreen,
  '/staff/hours': hoursScreen,
};

function requestDesk(id) {
  const screen = (c) => deskScreen(c, id);
  screen.forEveryStaff = true;
  return screen;
}

async function staffRoute(screen, moveFocus, token) {
  if (user) return mount(staffScreenFor(screen), moveFocus);
  if (flash) return mount(signInScreen(ctx), moveFocus);

  // Only show a loading line if /me is slow, so a quick answer doesn't flicker.
  const slow = setTimeout(() => { if (token === renders) mount(loadingScreen(), false); }, 300);
  try {
    user = await api.me();
    shareSession();
    clearTimeout(slow);
    if (token === renders) mount(staffScreenFor(screen), moveFocus);
  } catch (err) {
    clearTimeout(slow);
    if (token !== renders) return;
    if (err instanceof ApiError && err.status === 401) return mount(signInScreen(ctx), moveFocus);
    const message = err instanceof NetworkError ? t('error.network') : t('error.server');
    mount(problemScreen(message, () => render({ moveFocus: true })), moveFocus);
  }
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

function render({ moveFocus = false } = {}) {
  const token = ++renders;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(location.search);
  if (path === '/') {
    // Reopening the app returns to the request still open on this phone.
    const open = openRequest.get();
    if (open) return navigate(`/help/requests/${encodeURIComponent(open)}`, { replace: true });
    return mount(homeScreen(ctx), moveFocus);
  }
  const live = idIn(path, /^\/help\/requests\/([^/]+)$/);
  if (live) return mount(liveScreen(ctx, live), moveFocus);
  const desk = idIn(path, /^\/staff\/requests\/([^/]+)$/);
  if (desk) return staffRoute(requestDesk(desk), moveFocus, token);
  if (path === '/help') {
    const spot = query.get('spot');
    return mount(spot ? spotScreen(ctx, spot.trim()) : locateScreen(ctx), moveFocus);
  }
  const hold = idIn(path, /^\/holds\/([^/]+)$/);
  if (hold) return mount(holdScreen(ctx, hold), moveFocus);
  if (path === '/holds') return mount(myHoldsScreen(ctx), moveFocus);
  if (path === '/help/products' && query.get('store')) {
    return mount(productsScreen(ctx, query.get('store'), query.get('request') || ''), moveFocus);
  }
  if (STAFF_PATHS[path]) return staffRoute(STAFF_PATHS[path], moveFocus, token);
  if (MANAGER_PATHS[path]) return staffRoute(MANAGER_PATHS[path], moveFocus, token);
  if (path === '/help/store') return mount(storeChoiceScreen(ctx), moveFocus);
  if (path === '/help/department' || path === '/help/request') {
    // Without a store the earlier step is where to start again.
    const store = query.get('store');
    if (!store) return navigate('/help/store', { replace: true });
    if (path === '/help/department') return mount(departmentScreen(ctx, store), moveFocus);
    return mount(requestScreen(ctx, store, query.get('department') || ''), moveFocus);
  }
  if (path === '/staff') return staffRoute(staffScreen, moveFocus, token);
  if (path === '/staff/spots') return staffRoute(spotsScreen, moveFocus, token);
  if (path === '/staff/spots/print') return staffRoute(sheetScreen, moveFocus, token);
  return mount(notFoundScreen(), moveFocus);
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

keep('lang', initLanguage());
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
    navigator.serviceWorker.register('/sw.js').then(renewAlerts).catch(() => {
      // Without a worker the app still works online; nothing to tell the person.
    });
  });
}
