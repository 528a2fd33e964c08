// /help: find the store the shopper is in. The phone's location is asked for
// only after they tapped Get help, and they are told why first.
import { api } from '../api.js';
import { h } from '../dom.js';
import { currentPosition, flow, remember } from '../flow.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';
import { storePicker } from './picker.js';

function heading(text) {
  return h('h1', { tabindex: '-1' }, text);
}

function insideView(ctx, store) {
  return [
    heading(t('help.inside.title', { store: store.name })),
    store.address ? h('p', { class: 'lead' }, store.address) : null,
    h('div', { class: 'thumb' },
      h('button', {
        type: 'button',
        class: 'primary',
        onclick: () => ctx.navigate(`/help/department?store=${encodeURIComponent(store.id)}`),
      }, t('help.continue')),
      h('button', { type: 'button', class: 'secondary', onclick: () => ctx.navigate('/help/store') }, t('help.notHere')),
    ),
  ];
}

function problemView(ctx, problem, retry) {
  return [
    heading(t(`help.${problem}.title`)),
    h('p', { class: 'lead' }, t(`help.${problem}.lead`)),
    problem === 'denied' ? null : h('button', { type: 'button', class: 'secondary', onclick: retry }, t('help.tryAgain')),
    storePicker(ctx),
  ];
}

function outcomeView(ctx, outcome, retry) {
  if (outcome.problem) return problemView(ctx, outcome.problem, retry);
  const candidates = outcome.candidates || [];
  if (outcome.confidence === 'inside' && outcome.store) return insideView(ctx, outcome.store);
  if (outcome.confidence === 'ambiguous') {
    return [
      heading(t('help.ambiguous.title')),
      h('p', { class: 'lead' }, t('help.ambiguous.lead')),
      storePicker(ctx, { candidates }),
    ];
  }
  return [
    heading(t('help.outside.title')),
    h('p', { class: 'lead' }, t('help.outside.lead')),
    storePicker(ctx, { candidates, listTitle: candidates.length ? t('help.nearby') : '' }),
  ];
}

export function locateScreen(ctx) {
  const section = h('section', { class: 'screen help' });
  const status = h('p', { class: 'status-line', role: 'status' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const find = h('button', { type: 'button', class: 'primary', onclick: () => locate() }, t('help.find'));
  let busy = false;

  function show(children, { focus = true } = {}) {
    section.replaceChildren(...children.filter(Boolean));
    const h1 = section.querySelector('h1');
    if (!section.isConnected || !h1) return;
    document.title = `${h1.textContent} — ${t('app.name')}`;
    if (focus) h1.focus();
  }

  const explainView = () => [
    heading(t('help.locate.title')),
    h('p', { class: 'lead' }, t('help.why')),
    h('div', { class: 'thumb' },
      status,
      error,
      find,
      h('a', { href: '/help/store', class: 'quiet-link' }, t('help.chooseMyself')),
    ),
  ];

  async function locate() {
    if (busy) return;
    busy = true;
    flow.locateNow = false;
    error.textContent = '';
    status.textContent = t('help.finding');
    find.disabled = true;
    find.textContent = t('help.finding');
    try {
      let position;
      try {
        position = await currentPosition();
      } catch (geo) {
        flow.position = null;
        flow.outcome = { problem: geo.problem };
        show(outcomeView(ctx, flow.outcome, retry));
        return;
      }
      flow.position = position;
      const found = await api.locate(position);
      remember(found.store, ...(found.candidates || []).map((c) => c.store));
      flow.outcome = found;
      show(outcomeView(ctx, found, retry));
    } catch (err) {
      status.textContent = '';
      error.textContent = problemText(err);
      find.disabled = false;
      find.textContent = t('help.tryAgain');
      find.focus();
    } finally {
      busy = false;
    }
  }

  function retry() {
    flow.outcome = null;
    find.disabled = false;
    find.textContent = t('help.find');
    show(explainView());
    locate();
  }

  if (flow.outcome) {
    // Back from a later step: the answer is still good, no need to ask again.
    show(outcomeView(ctx, flow.outcome, retry), { focus: false });
  } else {
    show(explainView(), { focus: false });
    if (flow.locateNow) queueMicrotask(locate);
  }

  return { title: t('help.title'), node: section };
}
