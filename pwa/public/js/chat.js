// The conversation of one help request, for the shopper and for staff alike:
// who wrote what and when, and a labelled box to answer. Live cues both ways:
// "… is typing" while the other side writes, and "Seen" under one's last
// message once the other side has had it on screen.
import { ApiError, Conflict } from './api.js';
import { chatProduct } from './chat-product.js';
import { h, nextId } from './dom.js';
import { t } from './i18n.js';
import { showPhoto, shrink, upload } from './photos.js';
import { problemText } from './problem.js';
import { clockTime, isoTime } from './time.js';

const MESSAGE_MAX = 2000;
const PHOTOS_MAX = 3;
// Typing goes out at most this often while composing, and a typing line stays
// this long after the last signal heard.
const TYPING_EVERY_MS = 3000;
const TYPING_SHOWN_MS = 6000;

function roleText(role) {
  const key = `chat.role.${role}`;
  const text = t(key);
  return text === key ? '' : text;
}

/**
 * chat({send: async (text, photoIds) => message, isMine: (message) => bool,
 *       onTyping?: () => void, onSeen?: (messageId) => bool, requestId?, auth?,
 *       product?: {attach(code) → request, onAttached(request)}})
 * → {node, setMessages(list), add(message), setOpen(bool), showTyping(text),
 *    setSeenByOther(id), leave()}.
 * onSeen is called with the newest of the other side's messages on screen
 * while the page is visible; it returns false when it did not record it.
 * With requestId, up to three photos go with a message (auth: {bearer} for
 * shoppers; staff use their cookie). With product, a barcode scanned or typed
 * in the chat makes the request about that product (see chat-product.js).
 */
export function chat({ send, isMine, onTyping, onSeen, requestId, auth, product }) {
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
  const typingLine = h('p', { class: 'typing', role: 'status' });
  let typingTimer = 0;
  let lastTypingSent = 0;
  let lastMine = null;
  let seenByOther = null;
  const button = h('button', { type: 'submit', class: 'primary' }, t('chat.send'));

  // Photos: chosen from the camera or the gallery, shrunk and uploaded at
  // once, then sent with the next message.
  let attached = [];
  let uploading = 0;
  const fileId = nextId('photo');
  const fileInput = h('input', { id: fileId, type: 'file', accept: 'image/*', multiple: true, class: 'visually-hidden' });
  const pick = h('label', { for: fileId, class: 'button secondary photo-pick' }, t('chat.addPhoto'));
  const progress = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': t('chat.uploading') });
  const tray = h('ul', { class: 'photo-tray', 'aria-label': t('chat.attached') });
  const photoTools = requestId ? h('div', { class: 'photo-tools' }, fileInput, pick, progress, tray) : null;

  function showTray() {
    tray.replaceChildren(...attached.map((p) => {
      const img = h('img', { alt: t('chat.photoAlt'), width: '64', height: '64' });
      showPhoto(img, p.thumb_url, auth);
      const remove = h('button', { type: 'button', class: 'secondary', onclick: () => {
        attached = attached.filter((x) => x !== p);
        showTray();
      } }, t('chat.removePhoto'));
      return h('li', {}, img, remove);
    }));
    pick.hidden = attached.length + uploading >= PHOTOS_MAX;
  }

  fileInput.addEventListener('change', async () => {
    const files = [...fileInput.files].slice(0, PHOTOS_MAX - attached.length - uploading);
    fileInput.value = '';
    setError('');
    for (const file of files) {
      uploading += 1;
      progress.hidden = false;
      progress.value = 0;
      showTray();
      try {
        const blob = await shrink(file);
        attached.push(await upload(requestId, blob, auth, (f) => { progress.value = f; }));
      } catch (err) {
        setError(photoProblem(err));
      } finally {
        uploading -= 1;
        progress.hidden = uploading === 0;
        showTray();
      }
    }
  });

  const form = h('form', { class: 'chat-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: inputId }, t('chat.label')), input, error),
    photoTools,
    button,
  );

  function setError(message) {
    error.textContent = message || '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function showTyping(text) {
    typingLine.textContent = text;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { typingLine.textContent = ''; }, TYPING_SHOWN_MS);
  }

  function renderSeen() {
    for (const old of list.querySelectorAll('.message-seen')) old.remove();
    if (lastMine && seenByOther !== null && Number(lastMine.dataset.id) <= seenByOther) {
      lastMine.append(h('p', { class: 'message-seen' }, t('chat.seen')));
    }
  }

  // The other side's messages on screen; the newest of them is marked seen
  // while the page is visible.
  const onScreen = new Set();
  let marked = 0;
  let markTimer = 0;
  function markSeen() {
    clearTimeout(markTimer);
    markTimer = setTimeout(() => {
      if (!onSeen || document.visibilityState !== 'visible' || !onScreen.size) return;
      const newest = Math.max(...onScreen);
      if (newest > marked && onSeen(newest) !== false) marked = newest;
    }, 200);
  }
  const observer = onSeen && 'IntersectionObserver' in window ? new IntersectionObserver((entries) => {
    for (const e of entries) {
      const id = Number(e.target.dataset.id);
      if (e.isIntersecting) onScreen.add(id);
      else onScreen.delete(id);
    }
    markSeen();
  }) : null;
  document.addEventListener('visibilitychange', markSeen);

  function add(m) {
    if (!m || !m.id || seen.has(m.id)) return;
    seen.add(m.id);
    const mine = isMine(m);
    const author = m.author || {};
    // Shoppers have no name to show; their role says who they are.
    let who = [author.name, roleText(author.role)].filter(Boolean).join(' · ');
    if (mine) who = t('chat.you');
    else if (author.role === 'shopper') who = roleText('shopper');
    const li = h('li', { class: mine ? 'message mine' : 'message', dataset: { id: String(m.id) } },
      h('p', { class: 'message-meta' },
        h('span', { class: 'message-author' }, who),
        ' ',
        h('time', { datetime: isoTime(m.at) }, clockTime(m.at))),
      m.body ? h('p', { class: 'message-body' }, m.body) : null,
      (m.photos || []).length ? h('p', { class: 'message-photos' }, m.photos.map((p) => {
        const img = h('img', { alt: t('chat.photoAlt'), width: String(Math.min(160, p.width)), loading: 'lazy' });
        showPhoto(img, p.thumb_url, auth);
        const link = h('a', { href: p.url, target: '_blank', rel: 'noopener' }, img);
        // A shopper's photo is behind their token, which a new tab would not
        // carry: a tap shows the full photo in place instead.
        if (auth && auth.bearer) {
          link.addEventListener('click', (ev) => {
            ev.preventDefault();
            if (img.classList.toggle('expanded')) showPhoto(img, p.url, auth);
          });
        }
        return link;
      })) : null);
    list.append(li);
    empty.hidden = true;
    if (mine) {
      lastMine = li;
      renderSeen();
      // That message ended the typing: the next keystroke starts another.
      lastTypingSent = 0;
    } else {
      // They sent it, so they are no longer typing it.
      clearTimeout(typingTimer);
      typingLine.textContent = '';
      if (observer) observer.observe(li);
    }
  }

  input.addEventListener('input', () => {
    if (!onTyping || !input.value.trim() || Date.now() - lastTypingSent < TYPING_EVERY_MS) return;
    lastTypingSent = Date.now();
    onTyping();
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (uploading) {
      setError(t('chat.stillUploading'));
      return;
    }
    if (!text && !attached.length) {
      setError(t('chat.emptyError'));
      input.focus();
      return;
    }
    setError('');
    button.disabled = true;
    button.textContent = t('chat.sending');
    try {
      add(await send(text, attached.map((p) => p.id)));
      input.value = '';
      attached = [];
      showTray();
    } catch (err) {
      if (err instanceof Conflict) setError(t('chat.closed'));
      else if (err instanceof ApiError && err.field === 'body') setError(t('chat.invalid', { n: MESSAGE_MAX }));
      else setError(t('chat.notSent', { reason: problemText(err) }));
    } finally {
      button.disabled = false;
      button.textContent = t('chat.send');
    }
  });

  function photoProblem(err) {
    if (err && err.status === 413) return t('chat.photoTooLarge');
    if (err && err.status === 415) return t('chat.photoType');
    if (err && err.status === 409) return t('chat.photoLimit');
    return t('chat.photoNotSent');
  }

  const productTools = product ? chatProduct(product) : null;
  const node = h('section', { class: 'chat panel', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, t('chat.title')),
    // A log region announces new messages as they arrive, without moving focus.
    h('div', { role: 'log', 'aria-labelledby': titleId }, empty, list),
    typingLine,
    form,
    productTools ? productTools.node : null);

  return {
    node,
    add,
    setMessages(messages) {
      for (const m of messages || []) add(m);
    },
    setOpen(open) {
      form.hidden = !open;
      if (productTools) productTools.setOpen(open);
    },
    showTyping,
    /** Puts the cursor in the message box, while the conversation is open. */
    focus() {
      if (!form.hidden) input.focus();
    },
    /** The last of this side's messages the other side has seen (or null). */
    setSeenByOther(id) {
      if (id === undefined || id === seenByOther) return;
      seenByOther = id;
      renderSeen();
    },
    /** Looks again at what is on screen (say, after becoming a participant). */
    recheckSeen: markSeen,
    leave() {
      clearTimeout(typingTimer);
      clearTimeout(markTimer);
      if (observer) observer.disconnect();
      document.removeEventListener('visibilitychange', markSeen);
    },
  };
}
