// Escalate a request I own: where to (limited by my role) and why. The reason
// goes into the hand-off log that managers review.
import { api, ApiError, Conflict } from '../api.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';

const REASON_MAX = 500;

/** Where each role may send a request it owns. */
export function destinations(role, req) {
  let to;
  if (role === 'agent') to = ['floor', 'manager'];
  else if (role === 'admin') to = ['remote', 'floor', 'manager'];
  else to = ['remote'];
  // Without a store there is no floor team or manager to send it to.
  return req.store ? to : to.filter((d) => d === 'remote');
}

/**
 * escalateForm(user, req, onDone(updated)) → {node, toggle()} or null when
 * there is nowhere to send it; toggle opens or closes the form.
 */
export function escalateForm(user, req, onDone) {
  const options = destinations(user.role, req);
  if (!options.length) return null;

  const name = nextId('to');
  const radios = options.map((value, i) => h('input', { type: 'radio', name, value, checked: i === 0 }));
  const toError = h('p', { class: 'field-error', role: 'alert' });
  const reasonId = nextId('reason');
  const reason = h('textarea', { id: reasonId, name: 'reason', rows: '3', maxlength: String(REASON_MAX), required: true });
  const reasonError = h('p', { id: `${reasonId}-error`, class: 'field-error', role: 'alert' });
  reason.setAttribute('aria-describedby', reasonError.id);
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('escalate.send'));

  const form = h('form', { class: 'escalate', novalidate: true, hidden: true },
    h('fieldset', { class: 'choices' },
      h('legend', {}, t('escalate.to')),
      radios.map((r) => h('label', { class: 'choice' }, r, h('span', {}, t(`escalate.to.${r.value}`)))),
      toError),
    h('div', { class: 'field' }, h('label', { for: reasonId }, t('escalate.reason')), reason, reasonError),
    problem,
    submit);

  const open = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false' }, t('escalate.open'));
  function toggle() {
    form.hidden = !form.hidden;
    open.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) radios[0].focus();
  }
  open.addEventListener('click', toggle);

  function setReasonError(message) {
    reasonError.textContent = message;
    if (message) reason.setAttribute('aria-invalid', 'true');
    else reason.removeAttribute('aria-invalid');
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    toError.textContent = '';
    problem.textContent = '';
    setReasonError('');
    const to = (radios.find((r) => r.checked) || {}).value;
    const why = reason.value.trim();
    if (!to) {
      toError.textContent = t('escalate.pickTo');
      return;
    }
    if (!why) {
      setReasonError(t('escalate.reasonMissing'));
      reason.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('escalate.sending');
    try {
      const updated = await api.escalate(req.id, to, why);
      form.hidden = true;
      open.setAttribute('aria-expanded', 'false');
      reason.value = '';
      onDone(updated);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'reason') setReasonError(t('escalate.reasonInvalid', { n: REASON_MAX }));
      else if (err instanceof ApiError && err.field === 'to') toError.textContent = t('escalate.toInvalid');
      else if (err instanceof Conflict) problem.textContent = t('escalate.notYours');
      else problem.textContent = t('escalate.notSent', { reason: problemText(err) });
    } finally {
      submit.disabled = false;
      submit.textContent = t('escalate.send');
    }
  });

  return { node: h('div', { class: 'escalate-block' }, open, form), toggle };
}
