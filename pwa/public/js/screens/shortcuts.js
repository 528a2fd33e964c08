// Keyboard shortcuts for desk work, and their legend. Single keys never fire
// while the person types in a field; Ctrl+Enter (send) is the one that does.
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';

const KEYS = ['j', 'k', 'a', '/', 'e', 'r', '[', ']'];

function typing(el) {
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** shortcuts({j, k, a, '/', e, r, '[', ']', send(target)}) starts listening and returns stop(). */
export function shortcuts(actions) {
  function onKey(ev) {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      if (ev.target && ev.target.tagName === 'TEXTAREA') {
        ev.preventDefault();
        actions.send(ev.target);
      }
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    if (KEYS.includes(ev.key) && actions[ev.key]) {
      ev.preventDefault();
      actions[ev.key]();
    }
  }
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}

export function shortcutLegend() {
  const id = nextId('keys');
  const rows = [['j', 'k'], ['a'], ['/'], ['Ctrl', 'Enter'], ['e'], ['r'], ['[', ']']];
  const names = ['move', 'accept', 'message', 'send', 'escalate', 'resolve', 'switch'];
  return h('section', { class: 'panel shortcuts', 'aria-labelledby': id },
    h('h2', { id }, t('keys.title')),
    h('dl', { class: 'facts' }, rows.map((keys, i) => h('div', {},
      h('dt', {}, keys.map((k, j) => [j ? (k === 'Enter' ? '+' : ' / ') : '', h('kbd', {}, k)])),
      h('dd', {}, t(`keys.${names[i]}`))))));
}
