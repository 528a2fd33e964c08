// /help/department?store=<id>|remote: what the shopper needs help with, as a
// few big buttons; one tap goes on to the request.
import { api, NotFound } from '../api.js';
import { h } from '../dom.js';
import { flow, storeSummary, stores } from '../flow.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';

// The remote team answers for every store; the departments it offers are those
// of the stores the shopper is near (or the first few), without repeats.
const REMOTE_SOURCES = 3;

async function remoteDepartments() {
  const near = ((flow.outcome && flow.outcome.candidates) || []).map((c) => c.store.id);
  const ids = (near.length ? near : (await stores()).map((s) => s.id)).slice(0, REMOTE_SOURCES);
  const lists = await Promise.all(ids.map((id) => api.departments(id)));
  const byCode = new Map();
  for (const d of lists.flat()) if (!byCode.has(d.code)) byCode.set(d.code, d);
  return [...byCode.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The departments to offer and the words for where help will come from. */
export async function helpPlace(storeId) {
  if (storeId === 'remote') {
    return { store: null, where: t('help.remoteTeam'), departments: await remoteDepartments() };
  }
  const [store, departments] = await Promise.all([storeSummary(storeId), api.departments(storeId)]);
  return { store, where: store.name, departments };
}

export function departmentScreen(ctx, storeId) {
  const where = h('p', { class: 'lead' });
  const status = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const list = h('ul', { class: 'store-list departments' });
  const retry = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => load() }, t('error.retry'));

  async function load() {
    retry.hidden = true;
    error.textContent = '';
    status.textContent = t('app.loading');
    try {
      const place = await helpPlace(storeId);
      where.textContent = place.store ? t('help.department.at', { store: place.where }) : place.where;
      list.replaceChildren(...place.departments.map((d) => h('li', {},
        h('button', {
          type: 'button',
          class: 'store-choice department',
          onclick: () => ctx.navigate(`/help/request?${new URLSearchParams({ store: storeId, department: d.code })}`),
        }, h('span', { class: 'store-name' }, d.name)),
      )));
      status.textContent = place.departments.length ? '' : t('help.department.none');
    } catch (err) {
      status.textContent = '';
      error.textContent = err instanceof NotFound ? t('help.storeMissing') : problemText(err);
      retry.hidden = err instanceof NotFound;
    }
  }

  load();

  return {
    title: t('help.department.title'),
    node: h('section', { class: 'screen help' },
      h('h1', { tabindex: '-1' }, t('help.department.title')),
      where,
      status,
      error,
      retry,
      list,
      h('a', { href: '/help/store', class: 'quiet-link' }, t('help.otherStore')),
    ),
  };
}
