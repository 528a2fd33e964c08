// The shopper's start page: one big button, nothing to read first.
import { h } from '../dom.js';
import { flow } from '../flow.js';
import { t } from '../i18n.js';

export function homeScreen(ctx) {
  const getHelp = h('button', {
    type: 'button',
    class: 'primary big',
    onclick: () => {
      // A fresh start: find the store again, since the shopper may have moved.
      flow.outcome = null;
      flow.locateNow = true;
      ctx.navigate('/help');
    },
  }, t('home.getHelp'));

  return {
    title: t('app.name'),
    node: h('section', { class: 'screen home' },
      h('h1', { tabindex: '-1' }, t('home.title')),
      h('p', { class: 'lead' }, t('home.lead')),
      h('div', { class: 'thumb' },
        getHelp,
        h('p', { class: 'field-hint home-hint' }, t('home.locationHint')),
        h('a', { href: '/staff', class: 'quiet-link' }, t('home.staffSignIn')),
      ),
    ),
  };
}
