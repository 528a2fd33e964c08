// /staff/floor: "Floor now", the shift manager's live view of the store from
// arm's length. Who is available, busy or on a break; what is waiting, on the
// floor and with the remote team; who is helping whom and for how long. It
// follows the queue stream, which sends the whole floor at each change.
import { api } from '../api.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';
import { follow } from '../stream.js';
import { forText, waitedText } from '../time.js';
import { deskScreenPath } from './queue.js';

// The order people are listed in: who can take someone first.
const PRESENCE = ['available', 'busy', 'break', 'off'];

function section(title, ...children) {
  const id = nextId('floor');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function department(req) {
  return req.department_name || req.department;
}

export function floorScreen(ctx) {
  const storeId = ctx.user.store_id;
  let floor = null;
  let stop = null;

  const where = h('p', { class: 'lead' });
  const paused = h('p', { class: 'status-line paused', role: 'status' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const teamCount = h('p', { class: 'status-line' });
  const team = h('ul', { class: 'floor-list' });
  const waitingCount = h('p', { class: 'status-line' });
  const waiting = h('ul', { class: 'cards' });
  const helpingCount = h('p', { class: 'status-line' });
  const helping = h('ul', { class: 'cards' });

  function presence(person, helps) {
    if (person.status === 'busy' || helps.length) {
      return helps.length ? t('floor.helpingWith', { department: department(helps[0]) }) : t('status.busy');
    }
    return t(`status.${person.status}`);
  }

  function draw() {
    if (!floor) return;
    where.textContent = floor.store.name;
    const byOwner = new Map();
    for (const req of floor.helping) {
      const id = req.assigned_to && req.assigned_to.id;
      byOwner.set(id, [...(byOwner.get(id) || []), req]);
    }
    const people = [...floor.staff].sort((a, b) => PRESENCE.indexOf(a.status) - PRESENCE.indexOf(b.status));
    const free = floor.staff.filter((p) => p.status === 'available').length;
    teamCount.textContent = t('floor.free', { n: free, total: floor.staff.length });
    team.replaceChildren(...people.map((p) => h('li', { class: `floor-person is-${p.status}` },
      h('span', { class: 'floor-name' }, p.name),
      h('span', { class: 'floor-status' }, presence(p, byOwner.get(p.id) || [])))));

    const n = floor.waiting.length;
    waitingCount.textContent = n === 0 ? t('queue.none') : n === 1 ? t('queue.one') : t('queue.many', { n });
    waiting.replaceChildren(...floor.waiting.map((req) => h('li', { class: 'card' },
      h('h3', {}, h('a', { href: deskScreenPath(req.id) }, department(req))),
      h('p', { class: 'waited' }, waitedText(req.created_at)),
      req.channel === 'remote' ? h('p', { class: 'card-state' }, t('floor.withRemote')) : null,
      req.note ? h('p', { class: 'card-note' }, req.note) : null)));

    const helped = floor.helping.length;
    helpingCount.textContent = helped === 0 ? t('floor.nobodyHelped') : helped === 1 ? t('floor.helpingOne') : t('floor.helpingCount', { n: helped });
    helping.replaceChildren(...floor.helping.map((req) => {
      const who = req.assigned_to || {};
      const name = who.role === 'agent' ? t('floor.remoteName', { name: who.name }) : who.name;
      return h('li', { class: 'card' },
        h('h3', {}, h('a', { href: deskScreenPath(req.id) }, t('floor.helps', { name, department: department(req) }))),
        h('p', { class: 'waited' }, forText(req.since)),
        req.note ? h('p', { class: 'card-note' }, req.note) : null);
    }));
  }

  function show(next) {
    problem.textContent = '';
    floor = next;
    draw();
  }

  async function start() {
    if (!storeId) {
      problem.textContent = t('pick.noStore');
      return;
    }
    try {
      show(await api.floor(storeId));
    } catch (err) {
      problem.textContent = problemText(err);
    }
    stop = follow({
      path: '/queue/events?floor=true',
      on: { floor: show },
      poll: async () => show(await api.floor(storeId)),
      onLive: (live) => { paused.textContent = live ? '' : t('live.paused'); },
    });
  }

  const tick = setInterval(draw, 30000);
  start();

  return {
    title: t('floor.title'),
    node: h('section', { class: 'screen floor' },
      h('h1', { tabindex: '-1' }, t('floor.title')),
      where, paused, problem,
      h('div', { class: 'floor-grid' },
        section(t('floor.team'), teamCount, team),
        section(t('queue.title'), waitingCount, waiting),
        section(t('floor.helping'), helpingCount, helping)),
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
    leave() {
      clearInterval(tick);
      if (stop) stop();
    },
  };
}
