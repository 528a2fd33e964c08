// /help?spot=<code>: a shelf QR code already says where the shopper stands,
// so the location is never asked for; the request opens for that department.
import { api, InvalidInput, NotFound } from '../api.js';
import { h } from '../dom.js';
import { flow, remember } from '../flow.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';
import { storePicker } from './picker.js';
import { requestForm } from './request.js';

/**
 * The screen for a shelf code; answer, when given, is the code's lookup the
 * router already started (api.spot(code)), so it travels while this file loads.
 */
export function spotScreen(ctx, code, answer = null) {
  const section = h('section', { class: 'screen help' });
  const status = h('p', { class: 'status-line', role: 'status' }, t('help.spot.opening'));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const retry = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => load() }, t('error.retry'));

  function show(children, focus) {
    section.replaceChildren(...children.filter(Boolean));
    const h1 = section.querySelector('h1');
    if (!section.isConnected || !h1) return;
    document.title = `${h1.textContent} — ${t('app.name')}`;
    if (focus) h1.focus();
  }

  function unknownView() {
    return [
      h('h1', { tabindex: '-1' }, t('help.spot.unknownTitle')),
      h('p', { class: 'lead' }, t('help.spot.unknown', { code })),
      h('button', {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          flow.outcome = null;
          flow.locateNow = true;
          ctx.navigate('/help');
        },
      }, t('help.spot.useLocation')),
      storePicker(ctx),
    ];
  }

  async function load() {
    retry.hidden = true;
    error.textContent = '';
    const first = answer;
    answer = null; // a retry asks again
    status.textContent = t('help.spot.opening');
    let spot;
    try {
      spot = await (first || api.spot(code));
    } catch (err) {
      status.textContent = '';
      if ((err instanceof NotFound || err instanceof InvalidInput)) {
        show(unknownView(), true);
        return;
      }
      error.textContent = problemText(err);
      retry.hidden = false;
      return;
    }
    remember(spot.store);
    // The department list only widens the choice; without it the shelf's own
    // department is still enough to ask for help.
    const listed = spot.departments || [];
    const departments = listed.some((d) => d.code === spot.department)
      ? listed
      : [{ code: spot.department, name: spot.department_name }];
    const form = requestForm(ctx, {
      storeId: spot.store.id,
      storeName: spot.store.name,
      departments,
      department: spot.department,
      spot: { code: spot.code, department: spot.department, label: spot.label },
    });
    show([h('h1', { tabindex: '-1' }, t('help.request.title')), form], false);
  }

  show([h('h1', { tabindex: '-1' }, t('help.request.title')), status, error, retry], false);
  load();
  return { title: t('help.request.title'), node: section };
}
