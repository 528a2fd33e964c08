// The store's holds for floor staff: the pick list (what to fetch, and what
// waits at the pickup desk) and the pickup desk itself (scan or type a code).
import { api, ApiError, Conflict, NotFound } from '../api.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';
import { dayTime } from '../time.js';
import { holdStateText } from './holds.js';

const POLL_MS = 15000;

function section(title, ...children) {
  const id = nextId('section');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function holdFacts(hold) {
  return [
    h('h3', {}, t('hold.what', { n: hold.quantity, name: hold.product_name || hold.sku })),
    h('p', { class: 'card-note' }, t('pick.code', { code: hold.pickup_code }), ' · ', hold.sku),
    h('p', { class: 'card-state' }, t('pick.until', { when: dayTime(hold.expires_at) })),
  ];
}

function noStore(title) {
  return {
    title,
    node: h('section', { class: 'screen' }, h('h1', { tabindex: '-1' }, title),
      h('p', { class: 'form-error', role: 'alert' }, t('pick.noStore')),
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
  };
}

/** /staff/holds */
export function pickListScreen(ctx) {
  const storeId = ctx.user.store_id;
  if (!storeId) return noStore(t('pick.title'));
  const status = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const toPick = h('ul', { class: 'cards' });
  const ready = h('ul', { class: 'cards' });

  function activeCard(hold) {
    const button = h('button', { type: 'button', class: 'primary' }, t('pick.ready'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      problem.textContent = '';
      try {
        await api.holdReady(hold.id);
        await load();
      } catch (err) {
        button.disabled = false;
        problem.textContent = t('pick.notReady', { reason: err instanceof Conflict ? t('pick.changed') : problemText(err) });
      }
    });
    return h('li', { class: 'card hold-card', dataset: { id: hold.id } }, ...holdFacts(hold), button);
  }

  async function load() {
    try {
      const [active, waiting] = await Promise.all([api.storeHolds(storeId, 'active'), api.storeHolds(storeId, 'ready')]);
      toPick.replaceChildren(...active.map(activeCard));
      ready.replaceChildren(...waiting.map((hold) => h('li', { class: 'card hold-card', dataset: { id: hold.id } },
        ...holdFacts(hold), h('p', { class: 'card-state' }, holdStateText(hold)))));
      status.textContent = active.length ? t('pick.count', { n: active.length }) : t('pick.none');
      if (!waiting.length) ready.replaceChildren(h('li', { class: 'field-hint' }, t('pick.noneReady')));
    } catch (err) {
      problem.textContent = problemText(err);
    }
  }
  load();
  const timer = setInterval(load, POLL_MS);

  return {
    title: t('pick.title'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('pick.title')), status, problem,
      section(t('pick.toPick'), toPick),
      section(t('pick.atDesk'), ready),
      h('a', { href: '/staff/pickup', class: 'nav-link' }, t('pickup.title')),
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
    leave() { clearInterval(timer); },
  };
}

/** /staff/pickup */
export function pickupScreen(ctx) {
  const storeId = ctx.user.store_id;
  if (!storeId) return noStore(t('pickup.title'));
  let stream = null;
  let scanning = false;
  const codeId = nextId('code');
  const input = h('input', {
    id: codeId, name: 'pickup_code', type: 'text', autocomplete: 'off', autocapitalize: 'characters',
    spellcheck: 'false', enterkeyhint: 'go', maxlength: '12', 'aria-describedby': `${codeId}-error`,
  });
  const error = h('p', { id: `${codeId}-error`, class: 'field-error', role: 'alert' });
  const find = h('button', { type: 'submit', class: 'primary' }, t('pickup.find'));
  const result = h('div', { class: 'pickup-result', role: 'region', 'aria-live': 'polite' });
  const video = h('video', { class: 'scanner', muted: true, playsinline: true, hidden: true });
  const scan = h('button', { type: 'button', class: 'secondary', hidden: !('BarcodeDetector' in window) }, t('pickup.scan'));

  function setError(message) {
    error.textContent = message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function showHold(hold) {
    const open = ['active', 'ready'].includes(hold.status);
    const hand = h('button', { type: 'button', class: 'primary big' }, t('pickup.handOver'));
    hand.addEventListener('click', async () => {
      hand.disabled = true;
      try {
        const done = await api.pickUp(hold.id, input.value.trim().toUpperCase());
        result.replaceChildren(h('p', { class: 'state' }, t('pickup.done', { n: done.quantity, name: done.product_name || done.sku })));
        input.value = '';
      } catch (err) {
        hand.disabled = false;
        if (err instanceof ApiError && err.field === 'pickup_code') setError(t('pickup.wrong'));
        else if (err instanceof Conflict) setError(t('pickup.already'));
        else setError(problemText(err));
      }
    });
    result.replaceChildren(h('div', { class: 'card hold-card' }, ...holdFacts(hold),
      h('p', { class: 'card-state' }, holdStateText(hold)), open ? hand : null));
  }

  async function lookUp(code) {
    setError('');
    result.replaceChildren();
    if (!code) {
      setError(t('pickup.missing'));
      input.focus();
      return;
    }
    try {
      showHold(await api.holdByCode(storeId, code));
    } catch (err) {
      if (err instanceof NotFound) setError(t('pickup.wrong'));
      else setError(problemText(err));
      input.focus();
    }
  }

  function stopScan() {
    scanning = false;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
  }

  scan.addEventListener('click', async () => {
    if (scanning) return stopScan();
    try {
      const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      scanning = true;
      const tick = async () => {
        if (!scanning) return;
        const codes = await detector.detect(video).catch(() => []);
        if (codes.length) {
          input.value = String(codes[0].rawValue || '').trim().toUpperCase();
          stopScan();
          lookUp(input.value);
        } else requestAnimationFrame(tick);
      };
      tick();
    } catch {
      stopScan();
      setError(t('pickup.noCamera'));
    }
  });

  const form = h('form', { class: 'pickup-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: codeId }, t('pickup.code')), input, error), find);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    lookUp(input.value.trim().toUpperCase());
  });

  return {
    title: t('pickup.title'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('pickup.title')), scan, video, form, result,
      h('a', { href: '/staff/holds', class: 'nav-link' }, t('pick.title')),
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
    leave: stopScan,
  };
}
