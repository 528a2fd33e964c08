// The shopper's holds: search a store's products and hold one, the hold itself
// (pickup code, QR, deadline, state in words) and the list of my holds.
import { api, Conflict, NotFound, Unauthorized, holdQRImageURL } from '../api.js';
import { h } from '../dom.js';
import { storeSummary } from '../flow.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';
import { productSearch } from '../products.js';
import { asShopper, knownShopperToken } from '../shopper.js';
import { dayTime } from '../time.js';

const OPEN = ['active', 'ready'];

/** The address of a hold's screen for the shopper: /holds/{id}. */
export function holdScreenPath(id) {
  return `/holds/${encodeURIComponent(id)}`;
}

/** The hold's state in words, with its deadline or when it changed. */
export function holdStateText(hold) {
  switch (hold.status) {
    case 'active': return t('hold.state.active');
    case 'ready': return t('hold.state.ready');
    case 'picked_up': return t('hold.state.picked_up', { when: dayTime(hold.picked_up_at) });
    default: return t(`hold.state.${hold.status}`);
  }
}

function myHoldsLink() {
  return h('a', { href: '/holds', class: 'quiet-link' }, t('hold.mine'));
}

/** /help/products?store=<id>[&request=<id>] */
export function productsScreen(ctx, storeId, requestId) {
  const where = h('p', { class: 'lead where' });
  storeSummary(storeId).then((s) => { where.textContent = t('products.at', { store: s.name }); }).catch(() => {});
  let search = null;
  const slot = h('div', {});
  asShopper(async (token) => {
    search = productSearch({
      storeId,
      auth: { bearer: token },
      onHeld: (hold) => ctx.navigate(holdScreenPath(hold.id)),
    });
    slot.replaceChildren(search.node);
    search.node.querySelector('input').focus();
  }).catch((err) => slot.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, problemText(err))));
  const back = requestId
    ? h('a', { href: `/help/requests/${encodeURIComponent(requestId)}`, class: 'quiet-link' }, t('products.backToRequest'))
    : myHoldsLink();
  return {
    title: t('products.title'),
    node: h('section', { class: 'screen products-screen' },
      h('h1', { tabindex: '-1' }, t('products.title')), where, slot, back),
  };
}

/** /holds/<id> */
export function holdScreen(ctx, id) {
  const token = knownShopperToken();
  const auth = { bearer: token };
  const state = h('p', { class: 'state', role: 'status' }, t('app.loading'));
  const body = h('div', { class: 'hold-body' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const cancel = h('button', { type: 'button', class: 'secondary', hidden: true }, t('hold.cancel'));
  const confirm = h('div', { class: 'confirm', hidden: true },
    h('p', {}, t('hold.cancelConfirm')),
    h('button', { type: 'button', class: 'danger', onclick: () => doCancel() }, t('hold.cancelYes')),
    h('button', { type: 'button', class: 'secondary', onclick: () => ask(false) }, t('hold.cancelNo')));
  cancel.addEventListener('click', () => ask(true));

  function ask(open) {
    confirm.hidden = !open;
    cancel.hidden = open;
    if (open) confirm.querySelector('.secondary').focus();
  }

  function show(hold) {
    state.textContent = holdStateText(hold);
    const open = OPEN.includes(hold.status);
    body.replaceChildren(
      h('h2', { class: 'hold-product' }, t('hold.what', { n: hold.quantity, name: hold.product_name || hold.sku })),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, t('hold.store')), h('dd', {}, hold.store_name)),
        open ? h('div', {}, h('dt', {}, t('hold.deadline')), h('dd', {}, dayTime(hold.expires_at))) : null),
      open ? h('div', { class: 'pickup' },
        h('p', { class: 'pickup-label', id: 'pickup-code-label' }, t('hold.code')),
        h('p', { class: 'pickup-code', 'aria-labelledby': 'pickup-code-label' }, hold.pickup_code),
        h('img', { class: 'pickup-qr', src: holdQRImageURL(hold.id, token), alt: t('hold.qrAlt', { code: hold.pickup_code }), width: '220', height: '220' }),
        h('p', { class: 'field-hint' }, t('hold.show'))) : null);
    cancel.hidden = !open || !confirm.hidden;
    if (!open) confirm.hidden = true;
  }

  async function doCancel() {
    problem.textContent = '';
    try {
      show(await api.cancelHold(id, auth));
    } catch (err) {
      problem.textContent = err instanceof Conflict ? t('hold.cancelTooLate') : problemText(err);
    }
  }

  async function load() {
    if (!token) {
      state.textContent = t('hold.missing');
      return;
    }
    try {
      show(await api.hold(id, auth));
    } catch (err) {
      state.textContent = (err instanceof NotFound || err instanceof Unauthorized) ? t('hold.missing') : problemText(err);
    }
  }
  load();

  return {
    title: t('hold.title'),
    node: h('section', { class: 'screen hold' },
      h('h1', { tabindex: '-1' }, t('hold.title')), state, body, problem,
      h('div', { class: 'thumb' }, cancel, confirm, myHoldsLink())),
  };
}

/** /holds */
export function myHoldsScreen() {
  const token = knownShopperToken();
  const status = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const list = h('ul', { class: 'cards' });
  (token ? api.myHolds({ bearer: token }) : Promise.resolve([])).then((holds) => {
    status.textContent = holds.length ? '' : t('hold.none');
    list.replaceChildren(...holds.map((hold) => h('li', { class: 'card' },
      h('h2', {}, h('a', { href: holdScreenPath(hold.id) }, t('hold.what', { n: hold.quantity, name: hold.product_name || hold.sku }))),
      h('p', { class: 'card-store' }, hold.store_name),
      h('p', { class: 'card-state' }, holdStateText(hold)))));
  }).catch((err) => { status.textContent = problemText(err); });
  return {
    title: t('hold.mineTitle'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('hold.mineTitle')), status, list,
      h('a', { href: '/', class: 'quiet-link' }, t('notFound.home'))),
  };
}
