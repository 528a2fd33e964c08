// /staff/reports: how a store did over a period. A manager sees its own store;
// an admin picks a store and also sees every store side by side.
import { api, Forbidden } from '../api.js';
import { field, h, nextId } from '../dom.js';
import { fillStoreSelect } from '../flow.js';
import { language, t } from '../i18n.js';
import { problemText } from '../problem.js';
import { charts, storesTable, tiles } from './report-view.js';

const PRESETS = [7, 30, 90];

function isoDay(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function addDays(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  return isoDay(new Date(y, m - 1, d + n));
}

function longDay(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(language(), { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(y, m - 1, d));
}

export function reportsScreen(ctx) {
  const user = ctx.user;
  const admin = user.role === 'admin';
  let storeId = admin ? '' : user.store_id;
  let seq = 0;

  const today = isoDay(new Date());
  const from = h('input', { type: 'date', required: true, max: today });
  const to = h('input', { type: 'date', required: true, max: today });
  const dateError = h('p', { class: 'field-error', role: 'alert' });
  const presetButtons = PRESETS.map((days) => h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', onclick: () => preset(days) },
    t('reports.lastDays', { n: days })));
  const storeSelect = h('select', { onchange: () => { storeId = storeSelect.value; load(); } });
  const status = h('p', { class: 'status-line', role: 'status' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const result = h('div', { class: 'report' });
  const allId = nextId('all');
  const all = h('div', {});

  function period() {
    // The server's "to" is exclusive; the form shows the last day included.
    return { from: from.value, to: addDays(to.value, 1) };
  }

  function preset(days) {
    to.value = today;
    from.value = addDays(today, 1 - days);
    presetButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(PRESETS[i] === days)));
    load();
  }

  function csvLink() {
    const q = new URLSearchParams({ ...period(), format: 'csv' });
    return h('a', { class: 'nav-link', download: '', href: `/api/v1/reports/stores/${encodeURIComponent(storeId)}?${q}` }, t('reports.csv'));
  }

  async function load() {
    dateError.textContent = '';
    if (!from.value || !to.value || from.value > to.value) {
      dateError.textContent = t('reports.badPeriod');
      return;
    }
    const mine = ++seq;
    problem.textContent = '';
    status.textContent = t('reports.loading');
    result.setAttribute('aria-busy', 'true');
    try {
      const [report, everyStore] = await Promise.all([
        storeId ? api.report(storeId, period()) : null,
        admin ? api.reports(period()) : null,
      ]);
      if (mine !== seq) return;
      status.textContent = t('reports.period', { from: longDay(from.value), to: longDay(to.value) });
      result.replaceChildren(...(report ? [
        h('h2', {}, report.store_name),
        tiles(report),
        charts(report),
        csvLink(),
      ] : []));
      if (everyStore) all.replaceChildren(storesTable(everyStore, (id) => { storeSelect.value = id; storeId = id; load(); }));
    } catch (err) {
      if (mine !== seq) return;
      status.textContent = '';
      problem.textContent = err instanceof Forbidden ? t('manage.forbidden') : t('reports.problem', { reason: problemText(err) });
    } finally {
      if (mine === seq) result.removeAttribute('aria-busy');
    }
  }

  const form = h('form', { class: 'period', novalidate: true },
    field(t('reports.from'), from), field(t('reports.to'), to),
    h('button', { type: 'submit', class: 'primary' }, t('reports.show')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    presetButtons.forEach((b) => b.setAttribute('aria-pressed', 'false'));
    load();
  });

  async function start() {
    if (admin) {
      try {
        storeId = await fillStoreSelect(storeSelect);
      } catch (err) {
        problem.textContent = problemText(err);
      }
    }
    preset(30);
  }
  start();

  const periodId = nextId('period');
  return {
    title: t('reports.title'),
    node: h('section', { class: 'screen reports' },
      h('h1', { tabindex: '-1' }, t('reports.title')),
      admin ? field(t('reports.store'), storeSelect) : null,
      h('div', { role: 'group', 'aria-labelledby': periodId, class: 'period-group' },
        h('p', { id: periodId, class: 'group-label' }, t('reports.periodLabel')),
        h('div', { class: 'presets' }, presetButtons),
        form, dateError),
      status, problem, result,
      admin ? h('section', { 'aria-labelledby': allId }, h('h2', { id: allId }, t('reports.allStores')), all) : null,
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
  };
}
