// The request itself: the department (already chosen), an optional note and
// product, and Send, which opens the live request.
import { api, ApiError, InvalidInput, NetworkError, NotFound, RateLimited } from '../api.js';
import { barcodeField } from '../barcode.js';
import { h, nextId } from '../dom.js';
import { flow } from '../flow.js';
import { t } from '../i18n.js';
import { closedText } from '../opening.js';
import { problemText } from '../problem.js';
import { asShopper, openRequest, uuid } from '../shopper.js';
import { helpPlace } from './departments.js';

const NOTE_MAX = 500;
const PRODUCT_MAX = 120;

function field(label, control, hint) {
  const error = h('p', { id: `${control.id}-error`, class: 'field-error' });
  const hintNode = hint ? h('p', { id: `${control.id}-hint`, class: 'field-hint' }, hint) : null;
  control.setAttribute('aria-describedby', [hintNode && hintNode.id, error.id].filter(Boolean).join(' '));
  const node = h('div', { class: 'field' }, h('label', { for: control.id }, label), hintNode, control, error);
  return {
    node,
    set(message) {
      error.textContent = message || '';
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

/**
 * The request form. place is {storeId (null for the remote team), storeName,
 * departments, department, spot?: {code, department, label}}.
 */
export function requestForm(ctx, place) {
  const where = h('p', { class: 'lead where' });
  const select = h('select', { id: nextId('department'), name: 'department', required: true },
    h('option', { value: '' }, t('help.request.pick')),
    place.departments.map((d) => h('option', { value: d.code, selected: d.code === place.department }, d.name)),
  );
  const note = h('textarea', { id: nextId('note'), name: 'note', rows: '3', maxlength: String(NOTE_MAX), enterkeyhint: 'done' });
  const product = h('input', {
    id: nextId('product'), name: 'sku', type: 'text', autocomplete: 'off', maxlength: String(PRODUCT_MAX), enterkeyhint: 'send',
  });
  const department = field(t('help.request.department'), select);
  const noteField = field(t('help.request.note'), note, t('help.request.noteHint'));
  const productField = field(t('help.request.product'), product, t('help.request.productHint'));
  const barcode = barcodeField();
  // A valid code is looked up at once, so the shopper sees it is the right product.
  const found = h('p', { class: 'field-hint', role: 'status' });
  barcode.input.addEventListener('change', async () => {
    found.textContent = '';
    const code = barcode.value();
    if (!code || !barcode.check() || !place.storeId) return;
    try {
      const [p] = await api.productByGtin(place.storeId, code);
      if (p && barcode.value() === code) found.textContent = p.name;
    } catch { /* the request still carries the code */ }
  });
  const outcome = h('p', { class: 'form-error', role: 'alert' });
  const send = h('button', { type: 'submit', class: 'primary' }, t('help.send'));
  const fields = { department, note: noteField, sku: productField, gtin: barcode };
  // One key per tap, kept for a retry after the answer was lost on the way
  // back: the server then returns the request it already made.
  let retryKey = '';
  let retryDraft = '';
  let sending = false;

  function showWhere() {
    const chosen = place.departments.find((d) => d.code === select.value);
    const name = chosen ? chosen.name : '';
    const storeName = place.storeName || t('help.remoteTeam');
    if (place.spot && select.value === place.spot.department) {
      where.textContent = t('help.request.spotWhere', { store: storeName, department: name, label: place.spot.label });
    } else {
      where.textContent = name ? t('help.request.where', { store: storeName, department: name }) : storeName;
    }
  }
  showWhere();

  // A closed store is said before Send: the request then goes to the remote
  // team. Without an answer the form stays as it is; the request still goes.
  const closed = h('div', { class: 'closed-note', role: 'status' });
  if (place.storeId) {
    api.store(place.storeId).then((store) => {
      const text = closedText(store);
      if (text) closed.replaceChildren(h('p', {}, text), h('p', {}, t('help.closedRemote')));
    }, () => {});
  }

  // The body of POST /help-requests: the place is the shelf code (while its
  // department stands), else the chosen store, else, for the remote team,
  // where the phone was if known (for the stores nearby): the shopper's
  // choice of the remote team stands even inside a store.
  function draft() {
    const body = { department: select.value };
    if (place.spot && select.value === place.spot.department) body.spot = place.spot.code;
    else if (place.storeId) body.store_id = place.storeId;
    else {
      body.remote = true;
      if (flow.position) Object.assign(body, flow.position);
    }
    const text = note.value.trim();
    const sku = product.value.trim();
    if (text) body.note = text;
    if (sku) body.sku = sku;
    const code = barcode.value();
    if (code) body.gtin = code;
    return body;
  }

  function showProblem(err) {
    const f = err instanceof InvalidInput && fields[err.field];
    if (f) {
      f.set(t(`help.invalid.${err.field}`));
      return;
    }
    let text = problemText(err);
    if (err instanceof ApiError && err.code === 'invalid_state') text = t('help.tooMany');
    else if (err instanceof RateLimited) text = t('help.rateLimited');
    else if (err instanceof InvalidInput) text = t('help.invalid.place');
    else if (err instanceof NetworkError) text = t('help.notSentNetwork');
    // Re-set on the next frame so the same words are announced again on a second tap.
    requestAnimationFrame(() => { outcome.textContent = text; });
  }

  const form = h('form', {
    novalidate: true,
    class: 'request',
    dataset: { storeId: place.storeId || '', spot: place.spot ? place.spot.code : '' },
    onsubmit: async (ev) => {
      ev.preventDefault();
      if (sending) return;
      outcome.textContent = '';
      for (const f of Object.values(fields)) f.set('');
      const request = draft();
      if (!request.department) {
        department.set(t('help.request.pickError'));
        select.focus();
        return;
      }
      if (!barcode.check()) {
        barcode.input.focus();
        return;
      }
      const json = JSON.stringify(request);
      const key = retryKey && retryDraft === json ? retryKey : uuid();
      retryKey = '';
      sending = true;
      send.disabled = true;
      send.textContent = t('help.sending');
      try {
        const created = await asShopper((token) => api.createHelpRequest(request, key, token));
        openRequest.set(created.id);
        ctx.navigate(`/help/requests/${encodeURIComponent(created.id)}`, { replace: true });
      } catch (err) {
        if (err instanceof NetworkError) {
          retryKey = key;
          retryDraft = json;
        }
        showProblem(err);
      } finally {
        sending = false;
        send.disabled = false;
        send.textContent = t('help.send');
      }
    },
  },
  where,
  closed,
  department.node,
  noteField.node,
  productField.node,
  barcode.node,
  found,
  h('div', { class: 'thumb' },
    outcome,
    send,
    h('a', { href: '/help/store', class: 'quiet-link' }, t('help.otherStore')),
  ));
  form.dataset.department = select.value;
  select.addEventListener('change', () => {
    form.dataset.department = select.value;
    department.set('');
    showWhere();
  });
  return form;
}

/** /help/request?store=<id>|remote&department=<code> */
export function requestScreen(ctx, storeId, departmentCode) {
  const status = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const retry = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => load() }, t('error.retry'));
  const body = h('div', { class: 'request-body' }, status, error, retry);

  async function load() {
    retry.hidden = true;
    error.textContent = '';
    status.textContent = t('app.loading');
    try {
      const p = await helpPlace(storeId);
      body.replaceChildren(requestForm(ctx, {
        storeId: p.store ? p.store.id : null,
        storeName: p.store ? p.store.name : '',
        departments: p.departments,
        department: departmentCode,
      }));
    } catch (err) {
      status.textContent = '';
      error.textContent = err instanceof NotFound ? t('help.storeMissing') : problemText(err);
      retry.hidden = err instanceof NotFound;
    }
  }
  load();

  return {
    title: t('help.request.title'),
    node: h('section', { class: 'screen help' }, h('h1', { tabindex: '-1' }, t('help.request.title')), body),
  };
}
