// /staff/spots: a manager makes the QR codes that go on the store's shelves.
// Scanning one opens Get help for that department, no location needed.
import { api, Forbidden, InvalidInput } from '../api.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';

const LABEL_MAX = 80;

/** Whether this person may make shelf QR codes at all. */
export function managesSpots(user) {
  return !!user && (user.role === 'manager' || user.role === 'admin');
}

/** The store a screen works on: a manager's own, or for an admin ?store= or the first. */
export async function spotStore(user) {
  if (user.role !== 'admin') return { storeId: user.store_id, stores: [] };
  const stores = await api.stores();
  const asked = new URLSearchParams(location.search).get('store');
  const storeId = stores.some((s) => s.id === asked) ? asked : (stores[0] && stores[0].id) || '';
  return { storeId, stores };
}

/** The words for a failed call on a staff screen. */
export function staffProblem(err) {
  if (err instanceof Forbidden) return t('spots.forbidden');
  return problemText(err);
}

function spotItem(entry) {
  const { spot } = entry;
  return h('li', { class: 'spot' },
    h('img', { src: entry.qr_url, alt: spot.label, width: '112', height: '112', loading: 'lazy' }),
    h('div', { class: 'spot-text' },
      h('p', { class: 'spot-label' }, spot.label),
      h('p', {}, spot.department_name),
      h('p', { class: 'spot-url' }, h('a', { href: entry.url }, entry.url)),
    ),
  );
}

function labelledControl(label, control, hint) {
  const error = h('p', { id: `${control.id}-error`, class: 'field-error' });
  const hintNode = hint ? h('p', { id: `${control.id}-hint`, class: 'field-hint' }, hint) : null;
  control.setAttribute('aria-describedby', [hintNode && hintNode.id, error.id].filter(Boolean).join(' '));
  return {
    node: h('div', { class: 'field' }, h('label', { for: control.id }, label), hintNode, control, error),
    control,
    set(message) {
      error.textContent = message || '';
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

export function spotsScreen(ctx) {
  const user = ctx.user;
  let storeId = '';
  let spots = [];
  let busy = false;

  const storeField = labelledControl(t('spots.store'), h('select', { id: nextId('spot-store') }));
  const department = labelledControl(t('spots.department'), h('select', { id: nextId('spot-department'), required: true }));
  const label = labelledControl(t('spots.label'), h('input', {
    id: nextId('spot-label'), type: 'text', autocomplete: 'off', required: true,
  }), t('spots.labelHint'));
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const done = h('p', { class: 'notice', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('spots.create'));
  const listStatus = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const list = h('ul', { class: 'spot-list' });
  const print = h('a', { href: '/staff/spots/print', class: 'quiet-link print-link' }, t('spots.printSheet'));

  function showList() {
    list.replaceChildren(...spots.map(spotItem));
    listStatus.textContent = spots.length ? t(spots.length === 1 ? 'spots.countOne' : 'spots.count', { n: spots.length }) : t('spots.none');
    print.hidden = spots.length === 0;
  }

  async function loadStore(id) {
    storeId = id;
    print.href = user.role === 'admin' ? `/staff/spots/print?store=${encodeURIComponent(id)}` : '/staff/spots/print';
    listStatus.textContent = t('app.loading');
    formError.textContent = '';
    try {
      const [departments, entries] = await Promise.all([api.departments(id), api.spots(id)]);
      if (id !== storeId) return;
      // A department already picked while this store's list was loading stays
      // picked when the store has it too.
      const chosen = department.control.value;
      department.control.replaceChildren(
        h('option', { value: '' }, t('help.request.pick')),
        ...departments.map((d) => h('option', { value: d.code, selected: d.code === chosen }, d.name)),
      );
      spots = entries;
      showList();
    } catch (err) {
      if (id !== storeId) return;
      listStatus.textContent = '';
      formError.textContent = staffProblem(err);
    }
  }

  function validate() {
    const problems = [];
    if (!department.control.value) problems.push([department, t('spots.departmentMissing')]);
    const text = label.control.value.trim();
    if (!text) problems.push([label, t('spots.labelMissing')]);
    else if ([...text].length > LABEL_MAX) problems.push([label, t('spots.labelTooLong', { n: LABEL_MAX })]);
    for (const [f, message] of problems) f.set(message);
    if (problems.length) problems[0][0].control.focus();
    return problems.length === 0;
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    if (busy) return;
    department.set('');
    label.set('');
    formError.textContent = '';
    done.textContent = '';
    if (!validate()) return;
    busy = true;
    submit.disabled = true;
    submit.textContent = t('spots.creating');
    try {
      const created = await api.createSpot(storeId, department.control.value, label.control.value.trim());
      spots = [...spots, created].sort((a, b) => a.spot.label.localeCompare(b.spot.label));
      showList();
      label.control.value = '';
      done.textContent = t('spots.created', { label: created.spot.label });
    } catch (err) {
      const target = err instanceof InvalidInput && { label, department }[err.field];
      if (target) {
        target.set(target === label ? t('spots.labelInvalid', { n: LABEL_MAX }) : t('spots.departmentInvalid'));
        target.control.focus();
      } else {
        formError.textContent = staffProblem(err);
      }
    } finally {
      busy = false;
      submit.disabled = false;
      submit.textContent = t('spots.create');
    }
  }

  storeField.node.hidden = true;
  storeField.control.addEventListener('change', () => {
    const id = storeField.control.value;
    history.replaceState(null, '', `/staff/spots?store=${encodeURIComponent(id)}`);
    loadStore(id);
  });

  spotStore(user).then(({ storeId: id, stores }) => {
    if (user.role === 'admin') {
      storeField.control.replaceChildren(...stores.map((s) => h('option', { value: s.id, selected: s.id === id }, s.name)));
      storeField.node.hidden = false;
    }
    if (id) loadStore(id);
    else listStatus.textContent = t('spots.noStore');
  }, (err) => {
    listStatus.textContent = '';
    formError.textContent = staffProblem(err);
  });

  return {
    title: t('spots.title'),
    node: h('section', { class: 'screen spots' },
      h('h1', { tabindex: '-1' }, t('spots.title')),
      h('p', { class: 'lead' }, user.role === 'admin' ? t('spots.leadAdmin') : t('spots.lead', { store: user.store_name || '' })),
      h('form', { novalidate: true, class: 'spot-form', onsubmit: onSubmit },
        storeField.node, department.node, label.node, formError, done, submit),
      h('div', { class: 'list-head' }, h('h2', {}, t('spots.listTitle')), print),
      listStatus,
      list,
      h('a', { href: '/staff', class: 'quiet-link' }, t('spots.back')),
    ),
  };
}
