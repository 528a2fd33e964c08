// /help/requests/<id>: the shopper's request, live. Where they are in line, who
// is coming, the chat, and afterwards "How did we do?". Updates arrive over an
// event stream; while it is down the screen polls and says so.
import { api, Conflict, NotFound, Unauthorized, requestApiPath } from '../api.js';
import { chat } from '../chat.js';
import { h } from '../dom.js';
import { flow, remember } from '../flow.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';
import { productCard } from '../product-card.js';
import { knownShopperToken, openRequest } from '../shopper.js';
import { follow } from '../stream.js';
import { estimateText } from '../time.js';
import { alertsPanel } from './alerts-panel.js';
import { rating } from './rating.js';

const OPEN = ['waiting', 'assigned'];

function headline(req) {
  const name = req.assigned_to ? req.assigned_to.name : '';
  switch (req.status) {
    case 'waiting':
      return req.position > 0 ? t('live.position', { n: req.position }) : t('live.waiting');
    case 'assigned':
      return t(req.channel === 'remote' ? 'live.answering' : 'live.onTheWay', { name });
    default:
      return t(`live.${req.status}`);
  }
}

function detail(req) {
  if (req.status === 'waiting') {
    if (req.channel === 'remote' && req.remote_available === false) return t('live.nobodyFree');
    return estimateText(req.estimate_s) || (req.channel === 'remote' ? t('live.remoteSoon') : t('live.floorSoon'));
  }
  if (req.status === 'assigned') {
    if (req.escalation && req.channel === 'remote') return t('live.escalated', { name: req.escalation.to.name });
    return t(req.channel === 'remote' ? 'live.answeringDetail' : 'live.onTheWayDetail');
  }
  return t(`live.${req.status}Detail`);
}

function whereText(req) {
  const store = req.store ? req.store.name : t('help.remoteTeam');
  return req.department_name ? t('help.request.where', { store, department: req.department_name }) : store;
}

export function liveScreen(ctx, id) {
  const token = knownShopperToken();
  const auth = { bearer: token };
  let stop = null;
  let rated = false;

  const where = h('p', { class: 'lead where' });
  const state = h('p', { class: 'state live-state', role: 'status' }, t('app.loading'));
  const more = h('p', { class: 'live-detail' });
  const paused = h('p', { class: 'status-line paused', role: 'status' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const retry = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => load() }, t('error.retry'));

  const storeList = h('ul', { class: 'store-list', hidden: true });
  const notHere = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false' });
  const storeFix = h('div', { class: 'store-fix', hidden: true }, notHere, storeList);
  notHere.addEventListener('click', () => {
    storeList.hidden = !storeList.hidden;
    notHere.setAttribute('aria-expanded', String(!storeList.hidden));
  });

  const products = h('a', { class: 'nav-link', hidden: true }, t('products.title'));
  const holdsLink = h('a', { href: '/holds', class: 'quiet-link' }, t('hold.mine'));
  const alerts = alertsPanel('shopper');
  let assigned = false;
  const talk = chat({
    send: (text, photoIds) => api.sendMessage(id, text, auth, photoIds),
    isMine: (m) => !!m.author && m.author.role === 'shopper',
    requestId: id,
    auth,
    product: { attach: (code) => api.attachProduct(id, code, auth), onAttached: (req) => update(req) },
    onTyping: () => { if (assigned) api.typing(id, auth).catch(() => {}); },
    onSeen: (messageId) => {
      api.seen(id, messageId, auth).catch(() => {});
      return true;
    },
  });
  const productSlot = h('div', {});
  const rate = rating(id, token, () => {
    rated = true;
    openRequest.clear();
  });

  const confirmBox = h('div', { class: 'confirm', hidden: true },
    h('p', {}, t('live.cancelConfirm')),
    h('button', { type: 'button', class: 'danger', onclick: () => cancel() }, t('live.cancelYes')),
    h('button', { type: 'button', class: 'secondary', onclick: () => toggleConfirm(false) }, t('live.cancelNo')));
  const cancelButton = h('button', { type: 'button', class: 'secondary', onclick: () => toggleConfirm(true) }, t('live.cancel'));
  const askAgain = h('button', {
    type: 'button',
    class: 'primary',
    onclick: () => {
      openRequest.clear();
      flow.outcome = null;
      flow.locateNow = true;
      ctx.navigate('/help');
    },
  }, t('live.askAgain'));

  function toggleConfirm(open) {
    confirmBox.hidden = !open;
    cancelButton.hidden = open;
    // The safe answer has focus, so a stray tap on Enter keeps the request.
    if (open) confirmBox.querySelector('.secondary').focus();
  }

  async function cancel() {
    problem.textContent = '';
    try {
      update(await api.cancel(id, token));
    } catch (err) {
      problem.textContent = err instanceof Conflict ? t('live.cancelTooLate') : problemText(err);
    }
  }

  async function moveTo(store) {
    problem.textContent = '';
    try {
      update(await api.moveHelpRequest(id, store.id, token));
      storeList.hidden = true;
      notHere.setAttribute('aria-expanded', 'false');
    } catch (err) {
      problem.textContent = err instanceof Conflict ? t('live.moveTooLate') : problemText(err);
    }
  }

  function showStoreFix(req) {
    const others = (req.nearby || []).filter((n) => n.store && (!req.store || n.store.id !== req.store.id));
    storeFix.hidden = !(req.status === 'waiting' && req.store && others.length);
    if (storeFix.hidden) return;
    notHere.textContent = t('live.notStore', { store: req.store.name });
    storeList.replaceChildren(...others.map((n) => h('li', {},
      h('button', { type: 'button', class: 'store-choice', onclick: () => moveTo(n.store) },
        h('span', { class: 'store-name' }, n.store.name),
        n.store.address ? h('span', { class: 'store-address' }, n.store.address) : null))));
  }

  // The request as last shown: a `place` event moves only its place in line.
  let last = null;

  function update(req) {
    last = req;
    if (req.store) remember(req.store);
    where.textContent = whereText(req);
    const words = headline(req);
    if (state.textContent !== words) state.textContent = words;
    more.textContent = detail(req);
    showStoreFix(req);
    productSlot.replaceChildren(...[productCard(req.product)].filter(Boolean));
    // In no store, the nearest one is where a product can be held.
    const near = (req.nearby || []).find((n) => n.store);
    const storeId = req.store ? req.store.id : near && near.store.id;
    products.hidden = !storeId;
    if (storeId) products.href = `/help/products?${new URLSearchParams({ store: storeId, request: id })}`;
    const open = OPEN.includes(req.status);
    alerts.node.hidden = req.status !== 'waiting';
    talk.setMessages(req.messages);
    talk.setSeenByOther(req.seen_by_other ?? null);
    assigned = req.status === 'assigned';
    talk.node.hidden = !(req.status === 'assigned' || (req.messages || []).length);
    talk.setOpen(req.status === 'assigned');
    cancelButton.hidden = !open || !confirmBox.hidden;
    if (!open) confirmBox.hidden = true;
    rate.node.hidden = req.status !== 'resolved';
    if (req.status === 'resolved' && req.rated && !rated) rate.thank();
    askAgain.hidden = open || (req.status === 'resolved' && !rated);
    if (req.status === 'cancelled' || req.status === 'abandoned') openRequest.clear();
  }

  function lost() {
    openRequest.clear();
    state.textContent = t('live.lost');
    more.textContent = t('live.lostDetail');
    askAgain.hidden = false;
  }

  async function load() {
    retry.hidden = true;
    problem.textContent = '';
    if (!token) return lost();
    try {
      update(await api.helpRequest(id, auth));
    } catch (err) {
      if ((err instanceof NotFound || err instanceof Unauthorized)) return lost();
      state.textContent = '';
      problem.textContent = problemText(err);
      retry.hidden = false;
      return;
    }
    if (stop) return;
    stop = follow({
      path: `${requestApiPath(id)}/events`,
      token,
      on: {
        status: update,
        place: (p) => { if (last) update({ ...last, ...p }); },
        message: (m) => talk.add(m),
        typing: (cue) => { if (cue.who === 'staff') talk.showTyping(t('chat.typing', { name: cue.name || t('chat.someone') })); },
        seen: (cue) => talk.setSeenByOther(cue.seen_by_other ?? null),
      },
      poll: async () => update(await api.helpRequest(id, auth)),
      onLive: (live) => { paused.textContent = live ? '' : t('live.paused'); },
    });
  }

  askAgain.hidden = true;
  cancelButton.hidden = true;
  talk.node.hidden = true;
  rate.node.hidden = true;
  alerts.node.hidden = true;
  load();

  return {
    title: t('live.title'),
    node: h('section', { class: 'screen live' },
      h('h1', { tabindex: '-1' }, t('live.title')),
      where, state, more, paused, problem, retry, storeFix, productSlot,
      alerts.node, talk.node, products, rate.node,
      h('div', { class: 'thumb' }, askAgain, cancelButton, confirmBox, holdsLink)),
    leave() {
      if (stop) stop();
      talk.leave();
    },
  };
}
