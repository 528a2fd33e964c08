// The conversation of one help request, for the shopper and for staff alike:
// who wrote what and when, and a labelled box to answer.
import { ApiError } from './api.js';
import { h, nextId } from './dom.js';
import { problemText } from './flow.js';
import { t } from './i18n.js';
import { clockTime, isoTime } from './time.js';

const MESSAGE_MAX = 2000;

function roleText(role) {
  const key = `chat.role.${role}`;
  const text = t(key);
  return text === key ? '' : text;
}

/**
 * chat({send: async (text) => message, isMine: (message) => bool})
 * → {node, setMessages(list), add(message), setOpen(bool)}.
 */
export function chat({ send, isMine }) {
  const seen = new Set();
  const titleId = nextId('chat');
  const list = h('ol', { class: 'messages' });
  const empty = h('p', { class: 'field-hint' }, t('chat.empty'));

  const inputId = nextId('message');
  const input = h('textarea', {
    id: inputId, name: 'message', rows: '2', maxlength: String(MESSAGE_MAX), enterkeyhint: 'send', autocomplete: 'off',
    'aria-describedby': `${inputId}-error`,
  });
  const error = h('p', { id: `${inputId}-error`, class: 'field-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('chat.send'));
  const form = h('form', { class: 'chat-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: inputId }, t('chat.label')), input, error),
    button,
  );

  function setError(message) {
    error.textContent = message || '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function add(m) {
    if (!m || !m.id || seen.has(m.id)) return;
    seen.add(m.id);
    const mine = isMine(m);
    const author = m.author || {};
    // Shoppers have no name to show; their role says who they are.
    let who = [author.name, roleText(author.role)].filter(Boolean).join(' · ');
    if (mine) who = t('chat.you');
    else if (author.role === 'shopper') who = roleText('shopper');
    list.append(h('li', { class: mine ? 'message mine' : 'message' },
      h('p', { class: 'message-meta' },
        h('span', { class: 'message-author' }, who),
        ' ',
        h('time', { datetime: isoTime(m.at) }, clockTime(m.at))),
      h('p', { class: 'message-body' }, m.body)));
    empty.hidden = true;
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) {
      setError(t('chat.emptyError'));
      input.focus();
      return;
    }
    setError('');
    button.disabled = true;
    button.textContent = t('chat.sending');
    try {
      add(await send(text));
      input.value = '';
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setError(t('chat.closed'));
      else if (err instanceof ApiError && err.field === 'body') setError(t('chat.invalid', { n: MESSAGE_MAX }));
      else setError(t('chat.notSent', { reason: problemText(err) }));
    } finally {
      button.disabled = false;
      button.textContent = t('chat.send');
    }
  });

  const node = h('section', { class: 'chat panel', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, t('chat.title')),
    // A log region announces new messages as they arrive, without moving focus.
    h('div', { role: 'log', 'aria-labelledby': titleId }, empty, list),
    form);

  return {
    node,
    add,
    setMessages(messages) {
      for (const m of messages || []) add(m);
    },
    setOpen(open) {
      form.hidden = !open;
    },
  };
}
