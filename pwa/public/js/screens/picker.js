// Choosing a store by hand: the stores the phone is near, a search by name over
// every store, and help from the remote team for someone in no store at all.
import { h, nextId } from '../dom.js';
import { distanceText, flow, remember, stores } from '../flow.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';

// Beyond this many, an unfiltered list is a wall to scroll; the search is quicker.
const UNFILTERED_MAX = 12;

function fold(text) {
  return String(text || '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

function storeButton(ctx, store, distance) {
  const away = distanceText(distance);
  return h('li', {},
    h('button', {
      type: 'button',
      class: 'store-choice',
      onclick: () => {
        remember(store);
        ctx.navigate(`/help/department?store=${encodeURIComponent(store.id)}`);
      },
    },
    h('span', { class: 'store-name' }, store.name),
    store.address ? h('span', { class: 'store-address' }, store.address) : null,
    away ? h('span', { class: 'store-distance' }, away) : null),
  );
}

/**
 * The store choice. candidates are [{store, distance_m}]; listTitle names their
 * list when the screen's heading does not already.
 */
export function storePicker(ctx, { candidates = [], listTitle = '' } = {}) {
  for (const c of candidates) remember(c.store);
  const near = candidates.length
    ? h('div', { class: 'store-group' },
      listTitle ? h('h2', {}, listTitle) : null,
      h('ul', { class: 'store-list' }, candidates.map((c) => storeButton(ctx, c.store, c.distance_m))))
    : null;

  const inputId = nextId('store-search');
  const input = h('input', {
    id: inputId,
    type: 'search',
    autocomplete: 'off',
    enterkeyhint: 'search',
    spellcheck: 'false',
    'aria-describedby': `${inputId}-status`,
  });
  const status = h('p', { id: `${inputId}-status`, class: 'field-hint', role: 'status' });
  const results = h('ul', { class: 'store-list' });
  let seq = 0;

  async function update() {
    const mine = ++seq;
    const query = fold(input.value);
    // While searching, only the matches show, so each store appears once.
    if (near) near.hidden = !!query;
    if (!query && candidates.length) {
      results.replaceChildren();
      status.textContent = '';
      return;
    }
    let list;
    try {
      list = await stores();
    } catch (err) {
      if (mine === seq) status.textContent = problemText(err);
      return;
    }
    if (mine !== seq) return;
    const found = query ? list.filter((s) => fold(s.name).includes(query)) : list.slice(0, UNFILTERED_MAX);
    results.replaceChildren(...found.map((s) => storeButton(ctx, s, 0)));
    if (query) {
      status.textContent = found.length
        ? t(found.length === 1 ? 'help.searchOne' : 'help.searchMany', { n: found.length })
        : t('help.searchNone', { query: input.value.trim() });
    } else {
      status.textContent = list.length > found.length ? t('help.searchMore') : '';
    }
  }

  input.addEventListener('input', update);
  // Someone with no nearby stores sees every store before typing anything.
  if (!candidates.length) update();

  const search = h('div', { class: 'field store-search' },
    h('label', { for: inputId }, t('help.search')),
    input,
    status,
  );

  const remote = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: () => ctx.navigate('/help/department?store=remote'),
  }, t('help.remote'));

  return h('div', { class: 'picker' }, near, search, results, h('div', { class: 'thumb' }, remote));
}

/** /help/store: "Not here?", or a visit that skipped the location. */
export function storeChoiceScreen(ctx) {
  const candidates = (flow.outcome && flow.outcome.candidates) || [];
  return {
    title: t('help.choose.title'),
    node: h('section', { class: 'screen help' },
      h('h1', { tabindex: '-1' }, t('help.choose.title')),
      h('p', { class: 'lead' }, t('help.choose.lead')),
      storePicker(ctx, { candidates, listTitle: candidates.length ? t('help.nearby') : '' }),
    ),
  };
}
