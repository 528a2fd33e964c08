// /staff/password: change one's own password. After a reset by a manager or
// an admin the server refuses everything else until this is done, so the app
// shows this screen in place of any other (forced).
import { api, ApiError, RateLimited, Unauthorized } from '../api.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';

function passwordField(key, autocomplete) {
  const input = h('input', { type: 'password', autocomplete, required: true, id: nextId(key) });
  const error = h('p', { id: nextId('err'), class: 'field-error' });
  input.setAttribute('aria-describedby', error.id);
  return {
    input,
    node: h('div', { class: 'field' }, h('label', { for: input.id }, t(`password.${key}`)), input, error),
    set(message) {
      error.textContent = message || '';
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
}

export function passwordScreen(ctx) {
  const forced = Boolean(ctx.user && ctx.user.must_change_password);
  const current = passwordField(forced ? 'temporary' : 'current', 'current-password');
  const next = passwordField('new', 'new-password');
  const again = passwordField('again', 'new-password');
  const said = h('p', { class: 'notice', role: 'status' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('password.submit'));

  async function onSubmit(ev) {
    ev.preventDefault();
    for (const f of [current, next, again]) f.set('');
    problem.textContent = '';
    said.textContent = '';
    const bad = [];
    if (!current.input.value) bad.push([current, t('password.currentMissing')]);
    if (next.input.value.length < 10 || next.input.value.length > 72) bad.push([next, t('password.tooShort')]);
    else if (next.input.value !== again.input.value) bad.push([again, t('password.mismatch')]);
    for (const [f, message] of bad) f.set(message);
    if (bad.length) return void bad[0][0].input.focus();
    submit.disabled = true;
    submit.textContent = t('password.saving');
    try {
      await api.changePassword(current.input.value, next.input.value);
      form.reset();
      if (forced) {
        ctx.setUser({ ...ctx.user, must_change_password: false });
        ctx.navigate('/staff', { replace: true });
        return;
      }
      said.textContent = t('password.changed');
    } catch (err) {
      if (err instanceof ApiError && err.field === 'current_password') {
        current.set(t('password.currentWrong'));
        current.input.focus();
      } else if (err instanceof ApiError && err.field === 'new_password') {
        next.set(err.message);
        next.input.focus();
      } else if (err instanceof RateLimited) {
        problem.textContent = t('password.tooMany');
      } else {
        problem.textContent = problemText(err);
      }
    } finally {
      submit.disabled = false;
      submit.textContent = t('password.submit');
    }
  }

  const form = h('form', { novalidate: true, onsubmit: onSubmit },
    current.node, next.node, h('p', { class: 'field-hint' }, t('password.hint')), again.node, problem,
    h('div', { class: 'thumb' }, submit));

  return {
    title: t('password.title'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('password.title')),
      forced ? h('p', { class: 'notice' }, t('password.forced')) : h('p', {}, t('password.lead')),
      said, form,
      forced ? null : devicesPanel(ctx),
      forced ? null : h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
  };
}

// Every device at once: for a lost phone, or a shared one left signed in.
function devicesPanel(ctx) {
  const headingId = nextId('devices');
  const slot = h('div', { class: 'card-actions' });
  const problem = h('p', { class: 'form-error', role: 'alert' });

  function idle() {
    slot.replaceChildren(h('button', { type: 'button', class: 'secondary', onclick: ask }, t('account.everywhere')));
  }

  function ask() {
    const yes = h('button', { type: 'button', class: 'primary' }, t('account.everywhereYes'));
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      problem.textContent = '';
      try {
        await api.logoutEverywhere();
      } catch (err) {
        if (!(err instanceof Unauthorized)) {
          yes.disabled = false;
          problem.textContent = problemText(err);
          return;
        }
      }
      ctx.signedOut('signin.signedOutEverywhere');
    });
    slot.replaceChildren(h('p', { class: 'card-note' }, t('account.everywhereAsk')), yes,
      h('button', { type: 'button', class: 'secondary', onclick: idle }, t('account.cancel')));
    yes.focus();
  }

  idle();
  return h('section', { 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('account.devices')), slot, problem);
}
