// Staff home, below the availability control: who is waiting now (live), the
// requests I own, and for shift managers the escalations waiting for them.
import { api, Conflict } from '../api.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';
import { follow } from '../stream.js';
import { waitedText } from '../time.js';

const TICK_MS = 30000;
const MINE_POLL_MS = 15000;

/** The address of a request's staff screen: /staff/requests/{id}. */
export function deskScreenPath(id) {
  return `/staff/requests/${encodeURIComponent(id)}`;
}

function storeLine(req) {
  return req.store ? req.store.name : t('queue.noStore');
}

function waitedNode(req) {
  return h('p', { class: 'waited', dataset: { since: req.created_at } }, waitedText(req.created_at));
}

function setBadge(n) {
  if (!('setAppBadge' in navigator)) return;
  (n > 0 ? navigator.setAppBadge(n) : navigator.clearAppBadge()).catch(() => {});
}

function section(title, ...children) {
  const id = nextId('section');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function queuePanel(ctx) {
  const user = ctx.user;
  const acrossStores = user.role === 'agent' || user.role === 'admin';
  const cards = new Map();
  let stop = null;

  const count = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const paused = h('p', { class: 'status-line paused', role: 'status' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const list = h('ul', { class: 'cards queue' });

  const mineList = h('ul', { class: 'cards' });
  const mineEmpty = h('p', { class: 'field-hint' });
  const escList = h('ul', { class: 'cards' });
  const escProblem = h('p', { class: 'form-error', role: 'alert' });
  const escSection = section(t('escalations.title'), escProblem, escList);
  escSection.hidden = true;

  function card(req) {
    const titleId = nextId('req');
    const accept = h('button', { type: 'button', class: 'primary big', 'aria-describedby': titleId }, t('queue.accept'));
    accept.addEventListener('click', async () => {
      problem.textContent = '';
      accept.disabled = true;
      accept.textContent = t('queue.accepting');
      try {
        await api.accept(req.id);
        ctx.navigate(deskScreenPath(req.id));
      } catch (err) {
        accept.disabled = false;
        accept.textContent = t('queue.accept');
        problem.textContent = err instanceof Conflict
          ? t('queue.taken', { department: req.department_name || req.department })
          : t('queue.notAccepted', { reason: problemText(err) });
      }
    });
    // The floor sees its store's requests parked with the remote team, and may take them back.
    const parked = !acrossStores && req.channel === 'remote';
    return h('li', { class: parked ? 'card parked' : 'card', dataset: { id: req.id } },
      h('h3', { id: titleId }, h('a', { href: deskScreenPath(req.id) }, req.department_name || req.department)),
      acrossStores || !req.store ? h('p', { class: 'card-store' }, storeLine(req)) : null,
      parked ? h('p', { class: 'card-state' }, t('queue.withRemote')) : null,
      waitedNode(req),
      req.note ? h('p', { class: 'card-note' }, req.note) : null,
      accept);
  }

  function showQueue(requests) {
    const ids = new Set(requests.map((r) => r.id));
    for (const [id, node] of cards) {
      if (!ids.has(id)) {
        node.remove();
        cards.delete(id);
      }
    }
    requests.forEach((req, i) => {
      if (!cards.has(req.id)) cards.set(req.id, card(req));
      const node = cards.get(req.id);
      // Only move what is out of place, so a focused Accept keeps its focus.
      if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
    });
    const n = requests.length;
    count.textContent = n === 0 ? t('queue.none') : n === 1 ? t('queue.one') : t('queue.many', { n });
    setBadge(n);
    refreshMine();
  }

  function mineCard(req) {
    return h('li', { class: 'card' },
      h('h3', {}, h('a', { href: deskScreenPath(req.id) }, req.department_name || req.department)),
      h('p', { class: 'card-store' }, storeLine(req)),
      h('p', { class: 'card-state' }, t(`mine.${req.status}`)),
      req.note ? h('p', { class: 'card-note' }, req.note) : null,
      req.unread ? h('p', {}, h('span', { class: 'unread' }, t('conv.unread', { n: req.unread }))) : null);
  }

  function escalationCard(req) {
    const ack = h('button', { type: 'button', class: 'primary' }, t('escalations.acknowledge'));
    ack.addEventListener('click', async () => {
      ack.disabled = true;
      escProblem.textContent = '';
      try {
        await api.acknowledge(req.id);
        await refreshMine();
      } catch (err) {
        ack.disabled = false;
        escProblem.textContent = t('escalations.notAcknowledged', { reason: problemText(err) });
      }
    });
    const from = req.assigned_to ? req.assigned_to.name : '';
    return h('li', { class: 'card escalation' },
      h('h3', {}, h('a', { href: deskScreenPath(req.id) }, req.department_name || req.department)),
      h('p', { class: 'card-store' }, storeLine(req)),
      h('p', { class: 'card-state' }, t('escalations.from', { name: from })),
      req.escalation && req.escalation.reason ? h('p', { class: 'card-note' }, req.escalation.reason) : null,
      waitedNode(req),
      ack);
  }

  let mineBusy = false;
  async function refreshMine() {
    if (mineBusy) return;
    mineBusy = true;
    try {
      const mine = await api.myRequests();
      mineList.replaceChildren(...(mine.assigned || []).map(mineCard));
      mineEmpty.textContent = (mine.assigned || []).length ? '' : t('mine.none');
      const esc = mine.escalations || [];
      escSection.hidden = !esc.length && user.role !== 'manager';
      escList.replaceChildren(...esc.map(escalationCard));
      if (!esc.length) escList.replaceChildren(h('li', { class: 'field-hint' }, t('escalations.none')));
    } catch {
      // The next poll tries again; an ended session has gone back to sign-in.
    } finally {
      mineBusy = false;
    }
  }

  async function start() {
    try {
      showQueue(await api.queue());
    } catch (err) {
      count.textContent = '';
      problem.textContent = problemText(err);
    }
    stop = follow({
      path: '/queue/events',
      on: { queue: (requests) => { problem.textContent = ''; showQueue(requests); } },
      poll: async () => showQueue(await api.queue()),
      onLive: (live) => { paused.textContent = live ? '' : t('live.paused'); },
    });
  }

  const tick = setInterval(() => {
    for (const p of document.querySelectorAll('.waited[data-since]')) p.textContent = waitedText(p.dataset.since);
  }, TICK_MS);
  const minePoll = setInterval(refreshMine, MINE_POLL_MS);
  start();

  return {
    node: h('div', { class: 'desk' },
      // A manager's priority line comes first.
      escSection,
      section(t('queue.title'), count, paused, problem, list),
      section(t('mine.title'), mineEmpty, mineList)),
    leave() {
      clearInterval(tick);
      clearInterval(minePoll);
      if (stop) stop();
    },
  };
}
