// The parts of the opening-hours screen: a range (Opens, Closes), a weekday
// with its ranges, an exception date. Each part reads its values, checks them
// and says what is wrong next to the field it is in.
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';

export const MAX_RANGES = 4;

// A time input cannot show 24:00; the end of the day is 00:00 there.
const fromServer = (v) => (v === '24:00' ? '00:00' : v);
const toServer = (v) => (v === '00:00' ? '24:00' : v);
const minutes = (v) => {
  const [hh, mm] = v.split(':').map(Number);
  return hh * 60 + mm;
};

function checked(label, on) {
  const box = h('input', { type: 'checkbox', checked: on });
  return { box, node: h('label', { class: 'choice' }, box, h('span', {}, label)) };
}

/** A labelled input with its error line; set(message) marks it. */
function input(label, attrs) {
  const control = h('input', { id: nextId('hours'), ...attrs });
  const error = h('p', { id: nextId('err'), class: 'field-error' });
  control.setAttribute('aria-describedby', error.id);
  return {
    control,
    node: h('div', { class: 'field' }, h('label', { for: control.id }, label), control, error),
    set(message) {
      error.textContent = message || '';
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

function timeInput(label, value) {
  const f = input(label, { type: 'time', step: '60', required: true });
  f.control.value = value || '';
  return f;
}

/**
 * Opens and Closes, with Remove when onRemove is given; check() marks what is
 * wrong and says whether all is right.
 */
function rangeRow(range, onRemove) {
  const opens = timeInput(t('hours.opens'), range.open);
  const closes = timeInput(t('hours.closes'), fromServer(range.close));
  const remove = onRemove && h('button', { type: 'button', class: 'secondary', onclick: () => onRemove(row) }, t('hours.removeRange'));
  const row = {
    opens,
    closes,
    node: h('div', { class: 'hours-range' }, opens.node, closes.node, remove),
    value: () => ({ open: opens.control.value, close: toServer(closes.control.value) }),
    check() {
      opens.set('');
      closes.set('');
      const { open, close } = row.value();
      if (!open) opens.set(t('hours.timeMissing'));
      if (!close) closes.set(t('hours.timeMissing'));
      else if (open && minutes(close) <= minutes(open)) closes.set(t('hours.closeAfterOpen'));
      return !!open && !!close && minutes(close) > minutes(open);
    },
  };
  return row;
}

/** One weekday: Closed all day, or its ranges (a lunch break makes two). */
export function dayEditor(day, ranges) {
  const name = t(`day.${day}`);
  const closed = checked(t('hours.closedAllDay'), ranges.length === 0);
  const list = h('div', { class: 'hours-ranges' });
  const add = h('button', { type: 'button', class: 'secondary' }, t('hours.addRange', { day: name }));
  const error = h('p', { class: 'field-error' });
  let rows = [];

  function addRow(range) {
    const row = rangeRow(range, (gone) => {
      rows = rows.filter((r) => r !== gone);
      gone.node.remove();
      if (!rows.length) closed.box.checked = true;
      show();
    });
    rows.push(row);
    list.append(row.node);
    return row;
  }

  function show() {
    const isClosed = closed.box.checked;
    list.hidden = isClosed;
    add.hidden = isClosed || rows.length >= MAX_RANGES;
  }

  ranges.forEach(addRow);
  closed.box.addEventListener('change', () => {
    if (!closed.box.checked && !rows.length) addRow({ open: '09:00', close: '19:00' }).opens.control.focus();
    show();
  });
  add.addEventListener('click', () => {
    const last = rows[rows.length - 1];
    addRow({ open: last ? last.value().close : '09:00', close: '' }).closes.control.focus();
    show();
  });
  show();

  return {
    day,
    node: h('fieldset', { class: 'hours-day' }, h('legend', {}, name), closed.node, list, add, error),
    /** The day's ranges with the row each came from, in the order shown. */
    entries: () => (closed.box.checked ? [] : rows.map((row) => ({ row, value: { day, ...row.value() } }))),
    check() {
      error.textContent = '';
      if (closed.box.checked) return true;
      let ok = rows.map((r) => r.check()).every(Boolean);
      if (!ok) return false;
      const sorted = [...rows].sort((a, b) => minutes(a.value().open) - minutes(b.value().open));
      for (let i = 1; i < sorted.length; i++) {
        if (minutes(sorted[i].value().open) < minutes(toServer(sorted[i - 1].value().close))) {
          sorted[i].opens.set(t('hours.overlap'));
          ok = false;
        }
      }
      return ok;
    },
    focus: () => (rows.find((r) => r.opens.control.getAttribute('aria-invalid') || r.closes.control.getAttribute('aria-invalid'))
      || rows[0])?.opens.control.focus(),
  };
}

/** One exception date: Closed all day, or its own range. */
export function exceptionEditor(n, ex, onRemove) {
  const date = input(t('hours.date'), { type: 'date', required: true });
  date.control.value = ex.date || '';
  const closed = checked(t('hours.closedAllDay'), ex.closed !== false);
  // One range: Closed all day, or Remove, is what takes it away.
  const range = rangeRow({ open: ex.open || '09:00', close: ex.close || '' });
  const remove = h('button', { type: 'button', class: 'secondary' }, t('hours.removeException'));
  const legend = h('legend', {}, t('hours.exception', { n }));
  const node = h('fieldset', { class: 'hours-day' }, legend, date.node, closed.node, range.node, remove);
  const show = () => { range.node.hidden = closed.box.checked; };
  closed.box.addEventListener('change', show);
  remove.addEventListener('click', () => onRemove(editor));
  show();
  const editor = {
    node,
    date,
    range,
    renumber: (i) => { legend.textContent = t('hours.exception', { n: i }); },
    value: () => (closed.box.checked ? { date: date.control.value, closed: true }
      : { date: date.control.value, ...range.value() }),
    check() {
      date.set(date.control.value ? '' : t('hours.dateMissing'));
      const rangeOK = closed.box.checked || range.check();
      return !!date.control.value && rangeOK;
    },
  };
  return editor;
}
