// Staff sign-in. Errors are said next to the field they concern, or under the
// form for what only the server knows (wrong password, too many attempts).
import { api, ApiError, InvalidInput, NetworkError, Unauthorized } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

// Enough to catch a slip of the thumb; the server has the final word.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function field({ id, label, type, autocomplete, inputmode }) {
  const error = h('p', { id: `${id}-error`, class: 'field-error' });
  const input = h('input', {
    id,
    name: id,
    type,
    autocomplete,
    inputmode,
    required: true,
    autocapitalize: 'none',
    spellcheck: 'false',
    'aria-describedby': `${id}-error`,
  });
  const node = h('div', { class: 'field' }, h('label', { for: id }, label), input, error);
  return {
    node,
    input,
    set(message) {
      error.textContent = message || '';
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
}

function messageFor(err) {
  if (err instanceof NetworkError) return t('error.network');
  if (err instanceof ApiError) {
    if (err.status === 401) return t('signin.wrong');
    if (err.status === 429) {
      const minutes = Math.max(1, Math.ceil((err.retryAfter || 60) / 60));
      return minutes === 1 ? t('signin.tooManyOne') : t('signin.tooMany', { n: minutes });
    }
  }
  return t('error.server');
}

export function signInScreen(ctx) {
  const email = field({ id: 'email', label: t('signin.email'), type: 'email', autocomplete: 'username', inputmode: 'email' });
  const password = field({ id: 'password', label: t('signin.password'), type: 'password', autocomplete: 'current-password' });
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const progress = h('p', { class: 'status-line', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('signin.submit'));
  let busy = false;

  function validate() {
    const problems = [];
    const e = email.input.value.trim();
    if (!e) problems.push([email, t('signin.emailMissing')]);
    else if (!EMAIL_SHAPE.test(e)) problems.push([email, t('signin.emailInvalid')]);
    if (!password.input.value) problems.push([password, t('signin.passwordMissing')]);
    for (const [f, message] of problems) f.set(message);
    if (problems.length) problems[0][0].input.focus();
    return problems.length === 0;
  }

  function setBusy(on) {
    busy = on;
    submit.disabled = on;
    submit.textContent = on ? t('signin.progress') : t('signin.submit');
    progress.textContent = on ? t('signin.progress') : '';
    form.setAttribute('aria-busy', String(on));
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    if (busy) return;
    email.set('');
    password.set('');
    formError.textContent = '';
    if (!validate()) return;

    setBusy(true);
    try {
      const res = await api.login(email.input.value.trim(), password.input.value);
      ctx.setUser(res.user);
      // Back to the staff screen that asked for a sign-in (/staff, /staff/spots, …).
      const back = location.pathname.startsWith('/staff') ? location.pathname + location.search : '/staff';
      ctx.navigate(back, { replace: true });
      return;
    } catch (err) {
      setBusy(false);
      const invalid = err instanceof InvalidInput;
      const target = invalid && { email, password }[err.field];
      if (target) {
        target.set(target === email ? t('signin.emailInvalid') : t('signin.passwordMissing'));
        target.input.focus();
        return;
      }
      formError.textContent = messageFor(err);
      if (err instanceof Unauthorized) {
        password.input.value = '';
        password.input.focus();
      }
    }
  }

  const form = h('form', { novalidate: true, onsubmit: onSubmit },
    email.node,
    password.node,
    formError,
    h('div', { class: 'thumb' }, progress, submit),
  );

  return {
    title: t('signin.pageTitle'),
    node: h('section', { class: 'screen signin' },
      h('h1', { tabindex: '-1' }, t('signin.title')),
      h('p', { class: 'notice', role: 'status' }, ctx.flash ? t(ctx.flash) : ''),
      form,
      h('a', { href: '/', class: 'quiet-link' }, t('signin.back')),
    ),
  };
}
