// /staff/spots/print: every shelf QR code of a store, labelled, laid out to be
// printed on A4, cut out and stuck on the shelves.
import { api } from '../api.js';
import { h } from '../dom.js';
import { storeSummary } from '../flow.js';
import { t } from '../i18n.js';
import { spotStore, staffProblem } from './spots.js';

function card(entry, storeName) {
  const { spot } = entry;
  return h('li', { class: 'qr-card' },
    h('p', { class: 'qr-store' }, storeName),
    h('p', { class: 'qr-department' }, spot.department_name),
    h('img', { src: entry.qr_url, alt: spot.label, width: '200', height: '200' }),
    h('p', { class: 'qr-label' }, spot.label),
    h('p', { class: 'qr-scan' }, t('sheet.scan')),
  );
}

export function sheetScreen(ctx) {
  const heading = h('h1', { tabindex: '-1' }, t('sheet.title'));
  const status = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const grid = h('ul', { class: 'qr-grid' });
  const printButton = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => window.print() }, t('sheet.print'));
  const back = h('a', { href: '/staff/spots', class: 'quiet-link' }, t('sheet.back'));

  (async () => {
    try {
      const { storeId } = await spotStore(ctx.user);
      if (!storeId) {
        status.textContent = t('spots.noStore');
        return;
      }
      if (ctx.user.role === 'admin') back.href = `/staff/spots?store=${encodeURIComponent(storeId)}`;
      const [store, entries] = await Promise.all([storeSummary(storeId), api.spots(storeId)]);
      heading.textContent = t('sheet.titleFor', { store: store.name });
      document.title = `${heading.textContent} — ${t('app.name')}`;
      grid.replaceChildren(...entries.map((e) => card(e, store.name)));
      status.textContent = entries.length
        ? t(entries.length === 1 ? 'spots.countOne' : 'spots.count', { n: entries.length })
        : t('spots.none');
      printButton.disabled = entries.length === 0;
    } catch (err) {
      status.textContent = '';
      error.textContent = staffProblem(err);
    }
  })();

  return {
    title: t('sheet.title'),
    node: h('section', { class: 'screen sheet' },
      h('div', { class: 'sheet-controls' },
        heading,
        h('p', { class: 'lead' }, t('sheet.lead')),
        status,
        error,
        h('div', { class: 'sheet-actions' }, printButton, back),
      ),
      grid,
    ),
  };
}
