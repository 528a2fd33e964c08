// The staff part of the app: every staff, manager and console screen. The
// router loads it only for a /staff path, so a shopper's phone never fetches
// it; the service worker keeps it once a staff member has signed in.
import { h } from './dom.js';
import { t } from './i18n.js';
import { consoleScreen } from './screens/console.js';
import { deskScreen } from './screens/desk.js';
import { floorScreen } from './screens/floor.js';
import { hoursScreen } from './screens/hours.js';
import { peopleScreen } from './screens/people.js';
import { pickListScreen, pickupScreen } from './screens/picklist.js';
import { repliesScreen } from './screens/replies.js';
import { reportsScreen } from './screens/reports.js';
import { requestsLogScreen } from './screens/requests-log.js';
import { sheetScreen } from './screens/sheet.js';
import { inventoryScreen } from './screens/inventory.js';
import { passwordScreen } from './screens/password.js';
import { managesSpots, spotsScreen } from './screens/spots.js';
import { staffScreen } from './screens/staff.js';

export { signInScreen } from './screens/signin.js';

// Screens every signed-in staff member may open; each checks its own role.
const STAFF_PATHS = {
  '/staff': staffScreen,
  '/staff/password': passwordScreen,
  '/staff/holds': pickListScreen,
  '/staff/pickup': pickupScreen,
  '/staff/console': consoleScreen,
  '/staff/replies': repliesScreen,
  '/staff/inventory': inventoryScreen,
};

// Screens for those who manage shelf codes, then shift managers and admins;
// the server checks again on every call.
const SPOT_PATHS = {
  '/staff/spots': spotsScreen,
  '/staff/spots/print': sheetScreen,
};
const MANAGER_PATHS = {
  '/staff/floor': floorScreen,
  '/staff/reports': reportsScreen,
  '/staff/people': peopleScreen,
  '/staff/requests-log': requestsLogScreen,
  '/staff/hours': hoursScreen,
};

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

/**
 * The screen for a /staff path and the signed-in ctx.user, or null when no
 * screen has that path. desk is the id of /staff/requests/{id}, or ''.
 */
export function staffScreenFor(ctx, path, desk) {
  // After a reset the server refuses everything else until the password is changed.
  if (ctx.user.must_change_password) return passwordScreen(ctx);
  if (desk) return deskScreen(ctx, desk);
  if (STAFF_PATHS[path]) return STAFF_PATHS[path](ctx);
  const screen = SPOT_PATHS[path] || MANAGER_PATHS[path];
  if (!screen) return null;
  return managesSpots(ctx.user) ? screen(ctx) : forbiddenScreen();
}
