// /staff/requests/<id>: one request for staff. Its state in words, Accept or
// Pass while it waits, the chat, Resolve, Escalate, and the hand-off log. A
// tap on a notification lands here, so the same choice is on the screen.
// The owner's chat sends typing and seen, and shows the customer's.
import { api, AlreadyTaken, Conflict, NotFound, requestApiPath } from '../api.js';
import { chat } from '../chat.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';
import { productCard } from '../product-card.js';
import { holdProblem } from '../products.js';
import { uuid } from '../shopper.js';
import { follow } from '../stream.js';
import { clockTime, isoTime, waitedText } from '../time.js';
import { escalateForm } from './escalate.js';

function nameOf(v) {
  if (!v) return '';
  return typeof v === 'object' ? v.name || v.id || '' : String(v);
}

function known(prefix, value) {
  const key = `${prefix}.${value}`;
  const text = t(key);
  return text === key ? value : text;
}

function fact(label, value) {
  return value ? h('div', {}, h('dt', {}, label), h('dd', {}, value)) : null;
}

/** deskScreen(ctx, id, {onSeen?(id)}): onSeen hears that the owner has read the chat. */
export function deskScreen(ctx, id, { onSeen } = {}) {
  const user = ctx.user;
  let stop = null;
  let escalateBlock = null;
  let owning = false;

  const title = h('h1', { tabindex: '-1' }, t('desk.title'));
  const state = h('p', { class: 'state', role: 'status' }, t('app.loading'));
  const facts = h('dl', { class: 'facts' });
  const escalation = h('p', { class: 'notice escalation-line' });
  const paused = h('p', { class: 'status-line paused', role: 'status' });
  const problem = h('p', { class: 'form-error', role: 'alert' });

  const accept = h('button', { type: 'button', class: 'primary big', onclick: () => act('accept') }, t('queue.accept'));
  const pass = h('button', { type: 'button', class: 'secondary', onclick: () => act('pass') }, t('desk.pass'));
  const resolve = h('button', { type: 'button', class: 'primary', onclick: () => act('resolve') }, t('desk.resolve'));
  const acknowledge = h('button', { type: 'button', class: 'primary', onclick: () => act('acknowledge') }, t('escalations.acknowledge'));
  const escalateSlot = h('div', {});
  const actions = h('div', { class: 'thumb desk-actions' }, problem, accept, pass, acknowledge, resolve, escalateSlot);

  const talk = chat({
    send: (text, photoIds) => api.sendMessage(id, text, undefined, photoIds),
    requestId: id,
    product: { attach: (code) => api.attachProduct(id, code), onAttached: (req) => update(req) },
    isMine: (m) => !!m.author && m.author.name === user.name && m.author.role === user.role,
    // Only the owner is in the conversation; others read along.
    onTyping: () => { if (owning) api.typing(id).catch(() => {}); },
    onSeen: (messageId) => {
      if (!owning) return false;
      api.seen(id, messageId).then(() => { if (onSeen) onSeen(id); }).catch(() => {});
      return true;
    },
  });

  // The product the shopper scanned, with a one-tap hold of one unit for them.
  const productSlot = h('div', {});
  const holdNote = h('p', { class: 'notice', role: 'status' });
  let shownProduct = '';
  function showProduct(req) {
    const key = JSON.stringify(req.product || null) + req.status;
    if (key === shownProduct) return;
    shownProduct = key;
    if (!req.product) return productSlot.replaceChildren();
    const open = req.status === 'waiting' || req.status === 'assigned';
    const holdOne = open && req.store && req.product.available > 0
      ? h('button', { type: 'button', class: 'primary' }, t('desk.holdOne')) : null;
    if (holdOne) {
      let key = uuid();
      holdOne.addEventListener('click', async () => {
        holdOne.disabled = true;
        holdNote.textContent = '';
        try {
          const held = await api.createHold({ store_id: req.store.id, sku: req.product.sku, quantity: 1, help_request_id: id }, key);
          holdNote.textContent = t('hold.placed', { n: held.quantity, name: held.product_name, code: held.pickup_code });
        } catch (err) {
          holdNote.textContent = holdProblem(err, 1);
        } finally {
          key = uuid();
          holdOne.disabled = false;
        }
      });
    }
    productSlot.replaceChildren(productCard(req.product, h('div', {}, holdOne, holdNote)));
  }

  const logId = nextId('log');
  const logList = h('ol', { class: 'handoff-log' });
  const logProblem = h('p', { class: 'field-hint' });
  const logSection = h('section', { class: 'panel', 'aria-labelledby': logId },
    h('h2', { id: logId }, t('log.title')), logProblem, logList);

  function mine(req) {
    return !!req.assigned_to && req.assigned_to.id === user.id;
  }

  // Whether the caller may take the request: staff of its store (from the
  // remote queue too), agents for the remote queue.
  function mayTake(req) {
    if (req.status !== 'waiting') return false;
    if (user.role === 'agent') return req.channel === 'remote';
    return (user.role === 'floor' || user.role === 'manager') && !!req.store && req.store.id === user.store_id;
  }

  function stateText(req) {
    const parked = req.channel === 'remote' && user.role !== 'agent';
    if (req.status === 'waiting' && (!mayTake(req) || parked)) {
      return `${t(`desk.waitingWith.${req.channel}`)} — ${waitedText(req.created_at)}`;
    }
    if (req.status === 'waiting') return `${t('desk.waiting')} — ${waitedText(req.created_at)}`;
    if (req.status === 'assigned') return mine(req) ? t('desk.yours') : t('desk.helping', { name: nameOf(req.assigned_to) });
    return t(`desk.${req.status}`);
  }

  function escalationText(req) {
    const e = req.escalation;
    if (!e || !e.to) return '';
    const who = e.to.id === user.id ? t('escalation.you') : e.to.name;
    const key = e.acknowledged ? 'escalation.acknowledged' : 'escalation.waiting';
    return t(key, { name: who, reason: e.reason || '' });
  }

  async function act(what) {
    problem.textContent = '';
    try {
      const updated = await api[what](id);
      if (what === 'pass') return ctx.navigate('/staff');
      if (updated) update(updated);
    } catch (err) {
      if (err instanceof AlreadyTaken) problem.textContent = t('desk.taken');
      else if (err instanceof Conflict && what === 'pass') problem.textContent = t('desk.noOffer');
      else if (err instanceof Conflict) problem.textContent = t('desk.changed');
      else problem.textContent = t('desk.notDone', { reason: problemText(err) });
      refresh();
    }
  }

  let logBusy = false;
  async function loadLog() {
    if (logBusy) return;
    logBusy = true;
    try {
      const entries = await api.handOffLog(id);
      logProblem.textContent = entries.length ? '' : t('log.empty');
      logList.replaceChildren(...entries.map((e) => {
        const route = [e.from, e.to].map(nameOf).filter(Boolean).map((v) => known('log.state', v)).join(' → ');
        const parts = [nameOf(e.actor), route, e.reason ? `“${e.reason}”` : ''].filter(Boolean);
        return h('li', {},
          h('time', { datetime: isoTime(e.at) }, clockTime(e.at)), ' ',
          h('strong', {}, known('log.kind', e.kind)),
          parts.length ? h('span', { class: 'log-detail' }, ` — ${parts.join(' · ')}`) : null);
      }));
    } catch (err) {
      logProblem.textContent = t('log.problem', { reason: problemText(err) });
    } finally {
      logBusy = false;
    }
  }

  function update(req) {
    title.textContent = t('desk.titleFor', { department: req.department_name || req.department });
    const words = stateText(req);
    if (state.textContent !== words) state.textContent = words;
    facts.replaceChildren(...[
      fact(t('desk.store'), req.store ? req.store.name : t('queue.noStore')),
      fact(t('desk.channel'), t(`desk.channel.${req.channel}`)),
      fact(t('desk.since'), clockTime(req.created_at)),
      fact(t('desk.note'), req.note),
      fact(t('desk.product'), req.sku),
    ].filter(Boolean));
    escalation.textContent = escalationText(req);
    showProduct(req);
    const waiting = req.status === 'waiting';
    const wasOwning = owning;
    owning = req.status === 'assigned' && mine(req);
    const escalatedToMe = !!(req.escalation && req.escalation.to && req.escalation.to.id === user.id);
    // Never an Accept that can only fail: who has it is said in words instead.
    accept.hidden = !mayTake(req);
    accept.textContent = req.channel === 'remote' && user.role !== 'agent' ? t('desk.takeBack') : t('queue.accept');
    pass.hidden = !mayTake(req);
    resolve.hidden = !owning;
    acknowledge.hidden = !(escalatedToMe && !req.escalation.acknowledged && req.status === 'assigned');
    if (owning && !escalateBlock) {
      escalateBlock = escalateForm(user, req, update);
      if (escalateBlock) escalateSlot.replaceChildren(escalateBlock.node);
    }
    escalateSlot.hidden = !owning;
    talk.setMessages(req.messages);
    talk.setSeenByOther(req.seen_by_other ?? null);
    if (owning && !wasOwning) talk.recheckSeen();
    // Any colleague who can see it may answer while it is open (collective help).
    talk.setOpen(waiting || req.status === 'assigned');
    talk.node.hidden = false;
    loadLog();
  }

  async function refresh() {
    try {
      update(await api.helpRequest(id));
    } catch {
      // The next event or poll brings it.
    }
  }

  async function load() {
    try {
      update(await api.helpRequest(id));
    } catch (err) {
      state.textContent = err instanceof NotFound ? t('desk.missing') : problemText(err);
      for (const b of [accept, pass, resolve, acknowledge]) b.hidden = true;
      return;
    }
    stop = follow({
      path: `${requestApiPath(id)}/events`,
      on: {
        status: update,
        message: (m) => talk.add(m),
        typing: (cue) => talk.showTyping(cue.who === 'shopper' ? t('chat.customerTyping') : t('chat.typing', { name: cue.name || '' })),
        seen: (cue) => talk.setSeenByOther(cue.seen_by_other ?? null),
      },
      poll: async () => update(await api.helpRequest(id)),
      onLive: (live) => { paused.textContent = live ? '' : t('live.paused'); },
    });
  }

  for (const b of [accept, pass, resolve, acknowledge]) b.hidden = true;
  talk.node.hidden = true;
  load();

  return {
    title: t('desk.title'),
    node: h('section', { class: 'screen desk-screen' },
      title, state, escalation, paused, facts, productSlot, actions, talk.node, logSection,
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
    // What the console's keys do here; each does only what the screen offers now.
    /** Opens or closes the escalation form, for the request's owner. */
    escalate() {
      if (escalateBlock && !escalateSlot.hidden) escalateBlock.toggle();
    },
    /** Resolves the request, when the reader owns it. */
    resolve() {
      if (!resolve.hidden) act('resolve');
    },
    /** Moves to the message box. */
    write() {
      talk.focus();
    },
    leave() {
      if (stop) stop();
      talk.leave();
    },
  };
}
