// The shopper's start page: one big button, nothing to read first.
import { h } from '../dom.js';
import { t } from '../i18n.js';

export function homeScreen() {
  // Empty until used, so the words are announced when they appear.
  const status = h('p', { class: 'status-line notice', role: 'status' });

  const getHelp = h('button', {
    type: 'button',
    class: 'primary big',
    onclick: () => {
      // Help requests arrive in a later release; until then, say so plainly
      // instead of pretending a request went out.
      status.textContent = '';
      requestAnimationFrame(() => { status.textContent = t('home.notOpenYet'); });
    },
  }, t('home.getHelp'));

  return {
    title: t('app.name'),
    node: h('section', { class: 'screen home' },
      h('h1', { tabindex: '-1' }, t('home.title')),
      h('p', { class: 'lead' }, t('home.lead')),
      h('div', { class: 'thumb' },
        status,
        getHelp,
        h('a', { href: '/staff', class: 'quiet-link' }, t('home.staffSignIn')),
      ),
    ),
  };
}
