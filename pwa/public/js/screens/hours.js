// /staff/hours: a shift manager (or an admin, for the store it picks) sets
// when the store is open: always, or at weekly hours, with exception dates
// (holidays, late openings). Requests made while it is closed go to the
// remote team, and shoppers are told when it opens.
import { api, InvalidInput } from '../api.js';
import { field, h, nextId } from '../dom.js';
import { openStore } from '../flow.js';
import { t } from '../i18n.js';
import { opensText } from '../opening.js';
import { dayEditor, exceptionEditor } from './hours-rows.js';
import { staffProblem } from './spots.js';

const MAX_EXCEPTIONS = 366;
// What a store without hours starts from when set hours are chosen.
const TEMPLATE = [1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '09:00', close: '19:00' }));

function stateText(hours) {
  if (hours.open_now) return t('hours.openNow');
  if (!hours.opens_at) return t('hours.closedNowLong');
  return t('hours.closedNow', { when: opensText(hours.opens_at, hours.timezone) });
}

export function hoursScreen(ctx) {
  const admin = ctx.user.role === 'admin';
  let storeId = admin ? '' : ctx.user.store_id;
  let seq = 0;
  let days = [];
  let exceptions = [];
  let saving = false;

  const storeSelect = h('select', { id: nextId('store'), onchange: () => { storeId = storeSelect.value; load(); } });
  const state = h('p', { class: 'state', role: 'status' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const said = h('p', { class: 'notice', role: 'status' });
  const modeName = nextId('mode');
  const radios = ['always', 'set'].map((value) => h('input', { type: 'radio', name: modeName, value }));
  const mode = h('fieldset', { class: 'choices' }, h('legend', {}, t('hours.mode')),
    radios.map((r) => h('label', { class: 'choice' }, r, h('span', {}, t(`hours.${r.value}`)))));
  const modeError = h('p', { class: 'field-error', role: 'alert' });
  const weekId = nextId('week');
  const week = h('section', { class: 'hours-week', 'aria-labelledby': weekId });
  const exceptionList = h('div', { class: 'hours-exceptions' });
  const exceptionsError = h('p', { class: 'field-error', role: 'alert' });
  const addException = h('button', { type: 'button', class: 'secondary', onclick: () => newException() }, t('hours.addException'));
  const save = h('button', { type: 'submit', class: 'primary' }, t('hours.save'));
  const setHours = () => radios[1].checked;

  function showMode() {
    week.hidden = !setHours();
  }
  radios.forEach((r) => r.addEventListener('change', showMode));

  function addExceptionEditor(ex) {
    const editor = exceptionEditor(exceptions.length + 1, ex, (gone) => {
      exceptions = exceptions.filter((e) => e !== gone);
      gone.node.remove();
      exceptions.forEach((e, i) => e.renumber(i + 1));
      addException.focus();
    });
    exceptions.push(editor);
    exceptionList.append(editor.node);
    return editor;
  }

  function newException() {
    if (exceptions.length >= MAX_EXCEPTIONS) {
      exceptionsError.textContent = t('hours.tooManyExceptions', { n: MAX_EXCEPTIONS });
      return;
    }
    addExceptionEditor({ closed: true }).date.control.focus();
  }

  function show(hours) {
    state.textContent = stateText(hours);
    const weekly = hours.weekly.length ? hours.weekly : TEMPLATE;
    days = [1, 2, 3, 4, 5, 6, 7].map((day) => dayEditor(day, weekly.filter((r) => r.day === day)));
    week.replaceChildren(h('h2', { id: weekId }, t('hours.week')), h('p', { class: 'field-hint' }, t('hours.midnight')),
      ...days.map((d) => d.node));
    radios[hours.weekly.length ? 1 : 0].checked = true;
    exceptions = [];
    exceptionList.replaceChildren();
    hours.exceptions.forEach(addExceptionEditor);
    showMode();
  }

  // Checks everything, marks each mistake by its field, and focuses the first.
  function check() {
    modeError.textContent = '';
    exceptionsError.textContent = '';
    let first = null;
    const note = (ok, focus) => { if (!ok && !first) first = focus; return ok; };
    if (setHours()) {
      for (const d of days) note(d.check(), d.focus);
      if (!first && !days.some((d) => d.entries().length)) {
        modeError.textContent = t('hours.noDayOpen');
        first = () => radios[1].focus();
      }
    }
    const seen = new Set();
    for (const e of exceptions) {
      note(e.check(), () => e.date.control.focus());
      const date = e.date.control.value;
      if (date && seen.has(date)) {
        e.date.set(t('hours.dateTwice'));
        note(false, () => e.date.control.focus());
      }
      seen.add(date);
    }
    if (first) first();
    return !first;
  }

  // A refusal from the server names its field, such as weekly[3].close or
  // exceptions[0].date; it is marked on the control it came from.
  function markRefusal(err, weeklyRows) {
    const m = /^(weekly|exceptions)\[(\d+)\](?:\.(\w+))?$/.exec(err.field || '');
    const row = m && (m[1] === 'weekly' ? weeklyRows[Number(m[2])] : exceptions[Number(m[2])]?.range);
    const target = m && (m[3] === 'date' ? exceptions[Number(m[2])]?.date : row && (m[3] === 'close' ? row.closes : row.opens));
    if (target) {
      target.set(m[3] ? t('hours.invalid') : t('hours.overlap'));
      target.control.focus();
    }
    problem.textContent = err.field === 'exceptions' ? t('hours.tooManyExceptions', { n: MAX_EXCEPTIONS }) : t('hours.notSaved');
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    if (saving) return;
    problem.textContent = '';
    said.textContent = '';
    if (!check()) return;
    const entries = setHours() ? days.flatMap((d) => d.entries()) : [];
    const body = { weekly: entries.map((e) => e.value), exceptions: exceptions.map((e) => e.value()) };
    saving = true;
    save.disabled = true;
    save.textContent = t('hours.saving');
    try {
      const saved = await api.setHours(storeId, body);
      show(saved);
      said.textContent = t('hours.saved');
    } catch (err) {
      if (err instanceof InvalidInput) markRefusal(err, entries.map((e) => e.row));
      else problem.textContent = staffProblem(err);
    } finally {
      saving = false;
      save.disabled = false;
      save.textContent = t('hours.save');
    }
  }

  async function load() {
    const mine = ++seq;
    problem.textContent = '';
    said.textContent = '';
    state.textContent = t('app.loading');
    try {
      const hours = await api.hours(storeId);
      if (mine === seq) show(hours);
    } catch (err) {
      if (mine !== seq) return;
      state.textContent = '';
      problem.textContent = staffProblem(err);
    }
  }

  openStore(admin, storeSelect, storeId, {
    show: (id) => { storeId = id; load(); },
    none: () => { state.textContent = t('pick.noStore'); },
    fail: (err) => { problem.textContent = staffProblem(err); },
  });

  const exceptionsId = nextId('exceptions');
  return {
    title: t('hours.title'),
    node: h('section', { class: 'screen hours' },
      h('h1', { tabindex: '-1' }, t('hours.title')),
      h('p', { class: 'lead' }, admin ? t('hours.leadAdmin') : t('hours.lead')),
      admin ? field(t('hours.store'), storeSelect) : null,
      state,
      h('form', { novalidate: true, class: 'hours-form', onsubmit: onSubmit },
        mode, modeError, week,
        h('section', { class: 'hours-week', 'aria-labelledby': exceptionsId },
          h('h2', { id: exceptionsId }, t('hours.exceptions')),
          h('p', { class: 'field-hint' }, t('hours.exceptionsLead')),
          exceptionList, exceptionsError, addException),
        problem, said, save),
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
  };
}

