// /staff/console: the remote care console for agents at a desk. The agent's
// conversations and the live queue on the left (filtered by store, department
// and time waited), the open request on the right with its chat, saved replies
// and a product lookup to hold stock for the shopper. Keyboard shortcuts for
// the common moves, [ and ] to switch conversations.
import { api, Conflict } from '../api.js';
import { field, h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';
import { productSearch } from '../products.js';
import { follow } from '../stream.js';
import { waitedText } from '../time.js';
import { conversationsPanel } from './conversations.js';
import { deskScreen } from './desk.js';
import { shortcutLegend, shortcuts } from './shortcuts.js';

function option(value, text) {
  return h('option', { value }, text);
}

export function consoleScreen(ctx) {
  let all = [];
  let shown = [];
  let selected = 0;
  let desk = null;
  let openId = '';
  let stop = null;

  const storeFilter = h('select', {}, option('', t('console.allStores')));
  const deptFilter = h('select', {}, option('', t('console.allDepartments')));
  const waitFilter = h('input', { type: 'number', inputmode: 'numeric', min: '0', value: '0' });
  const count = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const paused = h('p', { class: 'status-line paused', role: 'status' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const list = h('ul', { class: 'cards queue' });
  const main = h('div', { class: 'console-main' }, h('p', { class: 'field-hint' }, t('console.pick')));
  const conversations = conversationsPanel({ open: (id) => { if (id !== openId) open(id); } });

  function refill(select, pairs) {
    const value = select.value;
    select.replaceChildren(select.firstChild, ...[...pairs].sort((a, b) => a[1].localeCompare(b[1])).map(([v, text]) => option(v, text)));
    select.value = value;
  }

  function matches(req) {
    const minutes = Number(waitFilter.value) || 0;
    if (storeFilter.value && (!req.store || req.store.id !== storeFilter.value)) return false;
    if (deptFilter.value && req.department !== deptFilter.value) return false;
    return (Date.now() - Date.parse(req.created_at)) / 60000 >= minutes;
  }

  function render() {
    shown = all.filter(matches);
    selected = Math.min(selected, Math.max(0, shown.length - 1));
    list.replaceChildren(...shown.map((req, i) => {
      const accept = h('button', { type: 'button', class: 'primary' }, t('queue.accept'));
      accept.addEventListener('click', () => take(req));
      return h('li', { class: i === selected ? 'card selected' : 'card', dataset: { id: req.id }, 'aria-current': i === selected ? 'true' : null },
        h('h3', {}, req.department_name || req.department),
        h('p', { class: 'card-store' }, req.store ? req.store.name : t('queue.noStore')),
        h('p', { class: 'waited' }, waitedText(req.created_at)),
        req.note ? h('p', { class: 'card-note' }, req.note) : null,
        accept);
    }));
    const n = shown.length;
    count.textContent = n === 0 ? t('queue.none') : n === 1 ? t('queue.one') : t('queue.many', { n });
  }

  function showQueue(requests) {
    all = requests;
    refill(storeFilter, new Map(requests.filter((r) => r.store).map((r) => [r.store.id, r.store.name])));
    refill(deptFilter, new Map(requests.map((r) => [r.department, r.department_name || r.department])));
    render();
  }

  async function take(req) {
    problem.textContent = '';
    try {
      await api.accept(req.id);
      open(req.id);
    } catch (err) {
      problem.textContent = err instanceof Conflict ? t('desk.taken') : t('queue.notAccepted', { reason: problemText(err) });
    }
  }

  function repliesPanel() {
    const id = nextId('replies');
    const ul = h('ul', { class: 'reply-list' });
    api.savedReplies().then((replies) => ul.replaceChildren(...replies.map((r) => h('li', {},
      h('button', { type: 'button', class: 'secondary', title: r.body, onclick: () => insert(r.body) }, r.title)))))
      .catch(() => ul.replaceChildren(h('li', { class: 'field-hint' }, t('replies.problem'))));
    return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, t('console.replies')), ul);
  }

  function insert(text) {
    const box = main.querySelector('textarea[name="message"]');
    if (!box) return;
    box.value = box.value ? `${box.value} ${text}` : text;
    box.focus();
  }

  function lookupPanel(req) {
    const id = nextId('lookup');
    const note = h('p', { class: 'notice', role: 'status' });
    const stores = req.store ? [req.store] : (req.nearby || []).map((n) => n.store).filter(Boolean);
    if (!stores.length) return null;
    const search = productSearch({
      storeId: stores[0].id,
      helpRequestId: req.id,
      onHeld: (hold) => { note.textContent = t('hold.placed', { n: hold.quantity, name: hold.product_name, code: hold.pickup_code }); },
    });
    const pick = stores.length > 1
      ? field(t('console.lookupStore'), h('select', { onchange: (ev) => search.setStore(ev.target.value) },
        stores.map((s) => option(s.id, s.name))))
      : h('p', { class: 'field-hint' }, t('products.at', { store: stores[0].name }));
    return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, t('console.lookup')), pick, search.node, note);
  }

  async function refreshMine() {
    try {
      conversations.show((await api.myRequests()).assigned || []);
    } catch {
      // The stream brings the list again at its next change.
    }
  }

  async function open(id) {
    if (desk) desk.leave();
    openId = id;
    conversations.current(id);
    desk = deskScreen(ctx, id, { onSeen: (seenId) => conversations.seen(seenId) });
    const extras = h('div', { class: 'console-extras' }, repliesPanel());
    main.replaceChildren(desk.node, extras);
    try {
      const req = await api.helpRequest(id);
      const lookup = openId === id && lookupPanel(req);
      if (lookup) extras.append(lookup);
    } catch {
      // The desk itself says what went wrong.
    }
  }

  const stopKeys = shortcuts({
    j: () => { selected = Math.min(shown.length - 1, selected + 1); render(); },
    k: () => { selected = Math.max(0, selected - 1); render(); },
    a: () => { if (shown[selected]) take(shown[selected]); },
    '/': () => { if (desk) desk.write(); },
    e: () => { if (desk) desk.escalate(); },
    r: () => { if (desk) desk.resolve(); },
    send: (target) => { const form = target.closest('form'); if (form) form.requestSubmit(); },
    '[': () => { const id = conversations.step(-1); if (id && id !== openId) open(id); },
    ']': () => { const id = conversations.step(1); if (id && id !== openId) open(id); },
  });

  for (const el of [storeFilter, deptFilter, waitFilter]) el.addEventListener('input', render);

  async function start() {
    try {
      showQueue(await api.queue());
    } catch (err) {
      count.textContent = '';
      problem.textContent = problemText(err);
    }
    refreshMine();
    stop = follow({
      path: '/queue/events?mine=true',
      on: { queue: showQueue, mine: (mine) => conversations.show(mine.assigned || []) },
      poll: async () => {
        showQueue(await api.queue());
        await refreshMine();
      },
      onLive: (live) => { paused.textContent = live ? '' : t('live.paused'); },
    });
  }
  start();
  const tick = setInterval(render, 30000);
  const queueId = nextId('queue');

  return {
    title: t('staff.console'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('staff.console')),
      h('div', { class: 'console' },
        h('div', { class: 'console-side' },
          conversations.node,
          h('section', { class: 'panel', 'aria-labelledby': queueId },
            h('h2', { id: queueId }, t('queue.title')),
            h('div', { class: 'filters' },
              field(t('console.store'), storeFilter),
              field(t('console.department'), deptFilter),
              field(t('console.waitedLonger'), waitFilter)),
            count, paused, problem, list),
          shortcutLegend(),
          h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
        main)),
    leave() {
      stopKeys();
      clearInterval(tick);
      conversations.leave();
      if (stop) stop();
      if (desk) desk.leave();
    },
  };
}
