// The staff part of the app: every staff, manager and console screen. The
// router loads it only for a /staff path, so a shopper's phone never fetches
// it; the service worker keeps it once a staff member has signed in. Which
// path opens which screen, and for whom, is the router's table (app.js).
import { h } from './dom.js';
import { t } from './i18n.js';

export { consoleScreen } from './screens/console.js';
export { deskScreen } from './screens/desk.js';
export { floorScreen } from './screens/floor.js';
export { hoursScreen } from './screens/hours.js';
export { inventoryScreen } from './screens/inventory.js';
export { passwordScreen } from './screens/password.js';
export { peopleScreen } from './screens/people.js';
export { pickListScreen, pickupScreen } from './screens/picklist.js';
export { repliesScreen } from './screens/replies.js';
export { reportsScreen } from './screens/reports.js';
export { requestsLogScreen } from './screens/requests-log.js';
export { sheetScreen } from './screens/sheet.js';
export { signInScreen } from './screens/signin.js';
export { spotsScreen } from './screens/spots.js';
export { staffScreen } from './screens/staff.js';

/** What a person whose role a screen is not for sees instead of it. */
export function forbiddenScreen() {
  return {
    title: t('spots.title'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('spots.title')),
      h('p', { class: 'form-error', role: 'alert' }, t('spots.forbidden')),
      h('div', { class: 'thumb' }, h('a', { href: '/staff', class: 'quiet-link' }, t('spots.back'))),
    ),
  };
}
