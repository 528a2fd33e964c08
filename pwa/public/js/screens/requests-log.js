// /staff/requests-log: the store's recent help requests for a shift manager,
// and for one of them the hand-off log as a timeline: who was offered it, who
// passed, when it overflowed to the remote team, how it ended.
import { api, Forbidden } from '../api.js';
import { field, h, nextId } from '../dom.js';
import { openStore } from '../flow.js';
import { language, t } from '../i18n.js';
import { problemText } from '../problem.js';
import { clockTime, dayTime, isoTime } from '../time.js';

const STATUSES = ['waiting', 'assigned', 'resolved', 'cancelled', 'abandoned'];
const KINDS = ['created', 'offered', 'passed', 'ignored', 'withdrawn', 'accepted', 'overflowed', 'handed_back', 'escalated',
  'acknowledged', 'escalation_widened', 'resolved', 'cancelled', 'abandoned', 'store_changed', 'set_on_break'];

function words(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

function whoText(v) {
  if (!v) return '';
  if (typeof v === 'string') return v;
  return v.name || v.store_name || v.email || v.id || '';
}

function place(v) {
  const text = whoText(v);
  return text ? words(`log.state.${text}`, text) : '';
}

function when(at) {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  const days = (Date.now() - d.getTime()) / 86400000;
  if (days < 2) return dayTime(d).replace(/^./, (c) => c.toUpperCase());
  const date = new Intl.DateTimeFormat(language(), { weekday: 'short', day: 'numeric', month: 'short' }).format(d);
  return t('history.onAt', { date, time: clockTime(d) });
}

export function requestsLogScreen(ctx) {
  const admin = ctx.user.role === 'admin';
  let storeId = admin ? '' : ctx.user.store_id;
  let entries = [];
  let seq = 0;

  const storeSelect = h('select', { onchange: () => { storeId = storeSelect.value; load(); } });
  const statusFilter = h('select', { onchange: () => load() },
    h('option', { value: '' }, t('history.allStatuses')),
    STATUSES.map((s) => h('option', { value: s }, t(`history.status.${s}`))));
  const count = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const list = h('ul', { class: 'cards' });
  const detailId = nextId('detail');
  const detail = h('section', { class: 'panel', 'aria-labelledby': detailId, hidden: true });
  const kindFilter = h('select', { onchange: () => drawLog() }, h('option', { value: '' }, t('history.allKinds')),
    KINDS.map((k) => h('option', { value: k }, t(`log.kind.${k}`))));
  const logCount = h('p', { class: 'status-line', role: 'status' });
  const timeline = h('ol', { class: 'timeline' });

  function fail(err, where = count) {
    where.textContent = '';
    problem.textContent = err instanceof Forbidden ? t('manage.forbidden') : problemText(err);
  }

  function drawLog() {
    const shown = entries.filter((e) => !kindFilter.value || e.kind === kindFilter.value);
    logCount.textContent = t('history.entries', { n: shown.length });
    timeline.replaceChildren(...shown.map((e) => {
      const from = place(e.from);
      const to = place(e.to);
      return h('li', { class: 'timeline-entry' },
        h('p', { class: 'card-state' }, h('time', { datetime: isoTime(e.at) }, when(e.at)), ' — ', words(`log.kind.${e.kind}`, e.kind)),
        e.actor ? h('p', {}, t('history.by', { who: whoText(e.actor) })) : null,
        from || to ? h('p', {}, t('history.fromTo', { from: from || '—', to: to || '—' })) : null,
        e.reason ? h('p', { class: 'card-note' }, t('history.reason', { reason: e.reason })) : null);
    }));
  }

  async function open(req) {
    const title = t('history.title', { department: req.department_name || req.department, time: when(req.created_at) });
    detail.hidden = false;
    detail.replaceChildren(h('h2', { id: detailId, tabindex: '-1' }, title), field(t('history.kindFilter'), kindFilter), logCount, timeline);
    kindFilter.value = '';
    logCount.textContent = t('app.loading');
    timeline.replaceChildren();
    detail.querySelector('h2').focus();
    try {
      entries = await api.handOffLog(req.id);
      drawLog();
    } catch (err) {
      fail(err, logCount);
    }
  }

  function card(req) {
    const helper = req.assigned_to && req.assigned_to.name;
    return h('li', { class: 'card' },
      h('h3', {}, req.department_name || req.department),
      h('p', { class: 'card-state' }, words(`history.status.${req.status}`, req.status)),
      h('p', {}, h('time', { datetime: isoTime(req.created_at) }, when(req.created_at))),
      h('p', {}, helper ? t('history.helpedBy', { name: helper }) : t(req.channel === 'remote' ? 'log.remote' : 'log.nobody')),
      req.note ? h('p', { class: 'card-note' }, req.note) : null,
      h('button', { type: 'button', class: 'secondary', onclick: () => open(req) }, t('history.open')));
  }

  async function load() {
    const mine = ++seq;
    problem.textContent = '';
    count.textContent = t('app.loading');
    try {
      const all = await api.storeRequests(storeId, statusFilter.value);
      if (mine !== seq) return;
      const shown = statusFilter.value ? all.filter((r) => r.status === statusFilter.value) : all;
      count.textContent = t('history.count', { n: shown.length });
      list.replaceChildren(...shown.map(card));
    } catch (err) {
      if (mine === seq) fail(err);
    }
  }

  openStore(admin, storeSelect, storeId, {
    show: (id) => { storeId = id; load(); },
    none: () => { count.textContent = t('pick.noStore'); },
    fail,
  });

  const listId = nextId('recent');
  return {
    title: t('storeRequests.title'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('storeRequests.title')),
      admin ? field(t('reports.store'), storeSelect) : null,
      problem,
      detail,
      h('section', { 'aria-labelledby': listId },
        h('h2', { id: listId }, t('history.recent')),
        h('div', { class: 'filters' }, field(t('history.statusFilter'), statusFilter)),
        count, list),
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
  };
}
