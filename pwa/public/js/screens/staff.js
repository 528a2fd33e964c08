// Staff home: who is signed in, where, whether they can take customers now,
// and then the work: who is waiting, my requests, escalations, alerts.
import { api, Unauthorized } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';
import { alertsPanel } from './alerts-panel.js';
import { queuePanel } from './queue.js';
import { managesSpots } from './spots.js';

const HELPERS = ['floor', 'manager', 'agent'];

const CHOICES = ['available', 'break', 'off'];

function stateText(status) {
  if (status === 'busy') return t('status.busy');
  return CHOICES.includes(status) ? t(`status.youAre.${status}`) : '';
}

function roleText(role) {
  const key = `role.${role}`;
  const text = t(key);
  return text === key ? role : text;
}

// Where each role goes from the home screen, in the order they need it.
const LINKS = [
  ['/staff/console', 'staff.console', ['agent', 'admin']],
  ['/staff/floor', 'floor.title', ['manager']],
  ['/staff/holds', 'pick.title', ['floor', 'manager']],
  ['/staff/pickup', 'pickup.title', ['floor', 'manager']],
  ['/staff/inventory', 'inventory.title', ['manager']],
  ['/staff/reports', 'reports.title', ['manager', 'admin']],
  ['/staff/people', 'team.title', ['manager', 'admin']],
  ['/staff/hours', 'hours.title', ['manager', 'admin']],
  ['/staff/requests-log', 'storeRequests.title', ['manager']],
  ['/staff/replies', 'replies.title', ['admin']],
];

function navLinks(user) {
  const links = LINKS.filter(([, , roles]) => roles.includes(user.role))
    .map(([href, key]) => h('li', {}, h('a', { href, class: 'nav-link' }, t(key))));
  if (managesSpots(user)) links.push(h('li', {}, h('a', { href: '/staff/spots', class: 'nav-link' }, t('staff.spots'))));
  return links.length ? h('nav', { 'aria-label': t('staff.tools') }, h('ul', { class: 'nav-list' }, links)) : null;
}

export function staffScreen(ctx) {
  const user = ctx.user;
  let current = user.status;
  let seq = 0;

  const state = h('p', { class: 'state', role: 'status' });
  const error = h('p', { class: 'form-error', role: 'alert' });

  const radios = CHOICES.map((value) => h('input', { type: 'radio', name: 'status', value }));
  const fieldset = h('fieldset', { class: 'choices' },
    h('legend', {}, t('staff.availability')),
    radios.map((input) => h('label', { class: 'choice' }, input, h('span', {}, t(`status.${input.value}`)))),
  );

  function show(status) {
    current = status;
    for (const r of radios) r.checked = r.value === status;
    // While someone owns a request the server keeps them busy; the control is
    // read-only until it sets them back to available.
    fieldset.disabled = status === 'busy';
    state.textContent = stateText(status);
  }

  fieldset.addEventListener('change', async (ev) => {
    const next = ev.target.value;
    const previous = current;
    const mine = ++seq;
    error.textContent = '';
    state.textContent = t('staff.saving');
    fieldset.setAttribute('aria-busy', 'true');
    try {
      const updated = await api.setStatus(next);
      if (mine !== seq) return; // a later choice superseded this one
      ctx.setUser(updated);
      show(updated.status);
    } catch (err) {
      if (mine !== seq) return;
      show(previous);
      error.textContent = t('staff.notSaved', { reason: problemText(err) });
    } finally {
      if (mine === seq) fieldset.removeAttribute('aria-busy');
    }
  });

  const signOut = h('button', { type: 'button', class: 'secondary' }, t('staff.signOut'));
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    signOut.textContent = t('staff.signingOut');
    error.textContent = '';
    try {
      await api.logout();
    } catch (err) {
      // Already signed out on the server is the outcome we wanted anyway.
      if (!(err instanceof Unauthorized)) {
        signOut.disabled = false;
        signOut.textContent = t('staff.signOut');
        error.textContent = problemText(err);
        return;
      }
    }
    ctx.signedOut('signin.signedOut');
  });

  show(current);
  const helps = HELPERS.includes(user.role);
  const account = accountPanel();
  const desk = helps ? queuePanel(ctx) : null;

  return {
    title: t('staff.pageTitle'),
    node: h('section', { class: 'screen staff' },
      h('div', { class: 'top-row' },
        h('h1', { tabindex: '-1' }, t('staff.hello', { name: user.name })),
        signOut,
      ),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, t('staff.role')), h('dd', {}, roleText(user.role))),
        h('div', {}, h('dt', {}, t('staff.store')), h('dd', {}, user.store_name || t('staff.allStores'))),
      ),
      navLinks(user),
      h('div', { class: helps ? 'availability' : 'thumb' }, state, error, fieldset),
      desk ? desk.node : null,
      helps ? alertsPanel('staff').node : null,
      account,
    ),
    leave() {
      if (desk) desk.leave();
    },
  };
}

// The person's own account: the password and their devices.
function accountPanel() {
  const headingId = 'account-title';
  return h('section', { class: 'account', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('account.title')),
    h('ul', { class: 'nav-list' }, h('li', {}, h('a', { href: '/staff/password', class: 'nav-link' }, t('password.title')))));
}
