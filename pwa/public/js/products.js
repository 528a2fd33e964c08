// A store's products: search by name or SKU, see what is available, choose a
// quantity and hold it for pickup. Shared by the shopper and the remote desk.
import { api, ApiError, InsufficientStock } from './api.js';
import { h, nextId } from './dom.js';
import { t } from './i18n.js';
import { problemText } from './problem.js';
import { priceText } from './product-card.js';
import { uuid } from './shopper.js';

const MAX_QUANTITY = 10;
const SEARCH_DELAY_MS = 250;

export { priceText };

/** What to say when a hold was refused. */
export function holdProblem(err, quantity) {
  if (err instanceof InsufficientStock) {
    const m = /(\d+)/.exec(err.message || '');
    return m ? t('hold.notEnough', { n: m[1], quantity }) : t('hold.notEnoughUnknown');
  }
  if (err instanceof ApiError && err.code === 'invalid_state') return t('hold.tooMany');
  if (err instanceof ApiError && err.field === 'quantity') return t('hold.quantityInvalid', { n: MAX_QUANTITY });
  return t('hold.notPlaced', { reason: problemText(err) });
}

function stepper(max, label) {
  const id = nextId('qty');
  let value = 1;
  const input = h('input', { id, type: 'number', inputmode: 'numeric', min: '1', max: String(max), value: '1', class: 'qty' });
  const less = h('button', { type: 'button', class: 'secondary step', 'aria-label': t('products.less'), 'aria-controls': id }, '−');
  const more = h('button', { type: 'button', class: 'secondary step', 'aria-label': t('products.more'), 'aria-controls': id }, '+');
  function set(n) {
    value = Math.min(max, Math.max(1, Number.isFinite(n) ? Math.round(n) : 1));
    input.value = String(value);
    less.disabled = value <= 1;
    more.disabled = value >= max;
  }
  less.addEventListener('click', () => set(value - 1));
  more.addEventListener('click', () => set(value + 1));
  input.addEventListener('change', () => set(Number(input.value)));
  set(1);
  return {
    node: h('div', { class: 'field stepper' }, h('label', { for: id }, label), h('div', { class: 'stepper-row' }, less, input, more)),
    get value() { return value; },
  };
}

/**
 * productSearch({storeId, auth?, helpRequestId?, onHeld(hold)}) → {node, setStore(id)}.
 * auth is {bearer} for a shopper; staff use their session.
 */
export function productSearch({ storeId, auth, helpRequestId, onHeld }) {
  let store = storeId;
  let timer = 0;
  let seq = 0;
  const searchId = nextId('search');
  const input = h('input', { id: searchId, type: 'search', name: 'q', autocomplete: 'off', enterkeyhint: 'search' });
  const status = h('p', { class: 'status-line', role: 'status' });
  const list = h('ul', { class: 'cards products' });

  function row(p) {
    const titleId = nextId('product');
    const cap = Math.min(MAX_QUANTITY, p.available);
    const problem = h('p', { class: 'field-error', role: 'alert' });
    const avail = p.available > 0 ? t('products.available', { n: p.available }) : t('products.none');
    const li = h('li', { class: 'card product', dataset: { sku: p.sku } },
      h('h3', { id: titleId }, p.name),
      h('p', { class: 'product-facts' }, `${priceText(p.price)} · `, h('strong', {}, avail), ` · ${p.sku}`));
    if (cap < 1) return li;
    const qty = stepper(cap, t('products.quantity'));
    const hold = h('button', { type: 'button', class: 'primary', 'aria-describedby': titleId }, t('products.hold'));
    let key = uuid();
    hold.addEventListener('click', async () => {
      problem.textContent = '';
      hold.disabled = true;
      hold.textContent = t('products.holding');
      const body = { store_id: store, sku: p.sku, quantity: qty.value };
      if (helpRequestId) body.help_request_id = helpRequestId;
      try {
        const created = await api.createHold(body, key, auth);
        key = uuid();
        onHeld(created);
      } catch (err) {
        key = uuid();
        problem.textContent = holdProblem(err, qty.value);
      } finally {
        hold.disabled = false;
        hold.textContent = t('products.hold');
      }
    });
    li.append(qty.node, problem, hold);
    return li;
  }

  async function search() {
    const mine = ++seq;
    const q = input.value.trim();
    if (!store) return;
    status.textContent = t('products.searching');
    try {
      const found = await api.products(store, q);
      if (mine !== seq) return;
      list.replaceChildren(...found.map(row));
      status.textContent = !found.length ? t('products.nothing') : found.length === 1 ? t('products.foundOne') : t('products.found', { n: found.length });
    } catch (err) {
      if (mine === seq) status.textContent = problemText(err);
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, SEARCH_DELAY_MS);
  });
  const form = h('form', { class: 'product-search', role: 'search', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: searchId }, t('products.search')), input));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearTimeout(timer);
    search();
  });

  return {
    node: h('div', { class: 'product-lookup' }, form, status, list),
    setStore(id) {
      store = id;
      list.replaceChildren();
      if (input.value.trim()) search();
    },
    search,
  };
}
