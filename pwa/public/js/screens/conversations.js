// "My conversations" in the remote care console: every request the agent is
// working on, with its store and department, the time waited, the shopper's
// note, the last message and how many of the customer's messages are unread. A new message
// in a conversation not on screen raises its count, beeps (when Sound is on)
// and, while the tab is hidden, shows a desktop notification (when allowed).
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { waitedText } from '../time.js';

const SOUND_KEY = 'helpforce.console.sound';

function soundOn() {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

function keepSound(on) {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    // Private modes may refuse storage; the toggle still works for this visit.
  }
}

// A short generated beep: no sound file to download. Browsers let a page
// play sound only after the person has interacted with it, so the audio
// context is made on the first key or click.
let audio = null;
function wakeAudio() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!audio && Ctx) audio = new Ctx();
  if (audio && audio.state === 'suspended') audio.resume().catch(() => {});
}

function beep() {
  if (!audio) return;
  const now = audio.currentTime;
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.frequency.value = 880;
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.2, now + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.18);
  tone.connect(gain).connect(audio.destination);
  tone.start(now);
  tone.stop(now + 0.2);
}

function lastLine(c) {
  const m = c.last_message;
  if (!m) return t('conv.noMessage');
  const who = m.author && m.author.role === 'shopper' ? t('chat.role.shopper') : m.author.name;
  return t('conv.last', { who, body: m.body });
}

/**
 * conversationsPanel({open(id)}) → {node, show(list), current(id), step(±1), seen(id), leave()}.
 * show takes /me/requests' assigned list; current marks the open one.
 */
export function conversationsPanel({ open }) {
  let list = [];
  let openId = '';
  const unread = new Map();

  const titleId = nextId('conv');
  const count = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const items = h('ul', { class: 'cards conversations' });
  const sound = h('input', { type: 'checkbox', checked: soundOn() });
  sound.addEventListener('change', () => keepSound(sound.checked));

  function render() {
    items.replaceChildren(...list.map((c) => {
      const n = unread.get(c.id) || 0;
      const current = c.id === openId;
      return h('li', { class: current ? 'card selected' : 'card', dataset: { id: c.id } },
        h('button', { type: 'button', class: 'conversation', 'aria-current': current ? 'true' : null, onclick: () => open(c.id) },
          h('span', { class: 'conversation-title' }, `${c.department_name || c.department} · ${c.store ? c.store.name : t('queue.noStore')}`),
          h('span', { class: 'waited' }, waitedText(c.created_at)),
          c.note ? h('span', { class: 'card-note' }, c.note) : null,
          h('span', { class: 'conversation-last' }, lastLine(c)),
          n ? h('span', { class: 'unread' }, t('conv.unread', { n })) : null));
    }));
    count.textContent = list.length === 0 ? t('conv.none') : list.length === 1 ? t('conv.one') : t('conv.many', { n: list.length });
  }

  function tell(c) {
    if (sound.checked) beep();
    if (document.visibilityState === 'visible' || !('Notification' in window) || Notification.permission !== 'granted') return;
    try {
      const note = new Notification(t('conv.notifyTitle', { department: c.department_name || c.department }),
        { body: c.last_message ? c.last_message.body : '', tag: `conversation-${c.id}` });
      note.onclick = () => {
        window.focus();
        open(c.id);
      };
    } catch {
      // Some browsers only show notifications from a service worker.
    }
  }

  function show(next) {
    for (const c of next) {
      const before = unread.has(c.id) ? unread.get(c.id) : c.unread;
      // The conversation on screen is being read; any other that grew is news.
      const onScreen = c.id === openId && document.visibilityState === 'visible';
      if (c.unread > before && !onScreen) tell(c);
      unread.set(c.id, c.unread);
    }
    list = next;
    render();
  }

  for (const kind of ['pointerdown', 'keydown']) document.addEventListener(kind, wakeAudio);
  const tick = setInterval(render, 30000);

  return {
    node: h('section', { class: 'panel', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, t('conv.title')),
      h('label', { class: 'choice sound-toggle' }, sound, h('span', {}, t('conv.sound'))),
      count, items),
    show,
    current(id) {
      openId = id;
      render();
    },
    /** The conversation id `by` places from the open one (wrapping), or ''. */
    step(by) {
      if (!list.length) return '';
      const at = list.findIndex((c) => c.id === openId);
      const i = at < 0 ? (by > 0 ? 0 : list.length - 1) : (at + by + list.length) % list.length;
      return list[i].id;
    },
    /** The owner has read conversation id: its count is cleared at once. */
    seen(id) {
      unread.set(id, 0);
      const c = list.find((x) => x.id === id);
      if (c) c.unread = 0;
      render();
    },
    leave() {
      clearInterval(tick);
      for (const kind of ['pointerdown', 'keydown']) document.removeEventListener(kind, wakeAudio);
    },
  };
}
