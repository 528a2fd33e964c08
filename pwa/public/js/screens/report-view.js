// One store's report drawn for a phone: headline tiles with units in words,
// four small charts with their numbers, and the admin's table of every store.
import { barChart, chartFigure, lineChart } from '../charts.js';
import { h } from '../dom.js';
import { language, t } from '../i18n.js';

const num = (v, digits = 0) => new Intl.NumberFormat(language(), { maximumFractionDigits: digits }).format(v);
const has = (v) => typeof v === 'number' && Number.isFinite(v);

/** "52 s" under two minutes, "11 min" above; '' when unknown. */
export function seconds(v) {
  if (!has(v)) return '';
  return v < 120 ? t('reports.seconds', { n: num(v) }) : t('time.minutes', { n: num(v / 60) });
}

/** A share (0–1) as "19 %"; '' when unknown. */
export function percent(v) {
  return has(v) ? t('reports.percent', { n: num(v * 100) }) : '';
}

export function satisfaction(avg, positive) {
  if (!has(avg)) return '';
  return has(positive)
    ? t('reports.csatValue', { avg: num(avg, 1), share: num(positive * 100) })
    : t('reports.csatOnly', { avg: num(avg, 1) });
}

function tile(label, text) {
  const value = text
    ? h('dd', {}, text)
    : h('dd', {}, h('span', { 'aria-hidden': 'true' }, '—'), ' ', h('span', { class: 'tile-none' }, t('reports.noData')));
  return h('div', { class: 'tile' }, h('dt', {}, label), value);
}

export function tiles(r) {
  return h('dl', { class: 'tiles' },
    tile(t('reports.requests'), num(r.requests)),
    tile(t('reports.answered'), r.requests ? `${num(r.answered)} (${percent(r.answered / r.requests)})` : ''),
    tile(t('reports.firstP50'), seconds(r.first_response_p50_s)),
    tile(t('reports.firstP90'), seconds(r.first_response_p90_s)),
    tile(t('reports.resolveP50'), seconds(r.resolve_p50_s)),
    tile(t('reports.overflow'), percent(r.overflow_share)),
    tile(t('reports.abandon'), percent(r.abandon_share)),
    tile(t('reports.cancelled'), r.requests ? `${num(r.cancelled)} (${percent(r.cancel_share)})` : ''),
    tile(t('reports.answers'), has(r.answers_per_request) ? num(r.answers_per_request, 1) : ''),
    tile(t('reports.csat'), satisfaction(r.csat_avg, r.csat_positive_share)),
    tile(t('reports.ratings'), num(r.ratings)));
}

const text = (v, f) => (has(v) ? f(v) : t('reports.noData'));

function dayLabel(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(language(), { day: 'numeric', month: 'short' }).format(new Date(y, m - 1, d));
}

function range(values, f) {
  const known = values.filter(has);
  return known.length ? { low: f(Math.min(...known)), high: f(Math.max(...known)) } : null;
}

function hourChart(byHour) {
  const busy = byHour.filter((x) => x.requests > 0);
  const hours = busy.length ? byHour.filter((x) => x.hour >= busy[0].hour && x.hour <= busy[busy.length - 1].hour) : [];
  const p50 = hours.map((x) => x.first_response_p50_s);
  const p90 = hours.map((x) => x.first_response_p90_s);
  const spread = range(p50, seconds);
  const worst = range(p90, seconds);
  const label = spread ? t('reports.hourSummary', { ...spread, worst: worst.high }) : t('reports.noDataPeriod');
  const names = [t('reports.median'), t('reports.p90')];
  const hourText = (x) => t('reports.hour', { h: x.hour });
  return chartFigure({
    caption: t('reports.byHour'),
    svg: lineChart({ labels: hours.map(hourText), series: [{ values: p50 }, { values: p90 }], format: seconds, every: 2, label }),
    legend: names,
    head: [t('reports.hourCol'), ...names],
    rows: hours.map((x) => [hourText(x), text(x.first_response_p50_s, seconds), text(x.first_response_p90_s, seconds)]),
  });
}

function departmentChart(byDept) {
  const items = [...byDept].sort((a, b) => b.requests - a.requests).map((d) => ({ label: d.name, value: d.requests }));
  const label = items.length && items[0].value
    ? t('reports.deptSummary', { top: items[0].label, n: num(items[0].value), bottom: items[items.length - 1].label, m: num(items[items.length - 1].value) })
    : t('reports.noDataPeriod');
  return chartFigure({
    caption: t('reports.byDepartment'),
    svg: barChart({ items, format: (v) => num(v), label }),
    head: [t('reports.departmentCol'), t('reports.requests')],
    rows: items.map((i) => [i.label, num(i.value)]),
  });
}

function sharesChart(byDay, r) {
  const names = [t('reports.overflowShort'), t('reports.abandonShort')];
  const over = byDay.map((d) => d.overflow_share);
  const gone = byDay.map((d) => d.abandon_share);
  const top = Math.min(1, Math.max(0.1, ...over.filter(has), ...gone.filter(has)) * 1.1);
  const label = has(r.overflow_share)
    ? t('reports.sharesSummary', { overflow: percent(r.overflow_share), abandon: percent(r.abandon_share) })
    : t('reports.noDataPeriod');
  return chartFigure({
    caption: t('reports.sharesByDay'),
    svg: lineChart({ labels: byDay.map((d) => dayLabel(d.date)), series: [{ values: over }, { values: gone }], format: percent, top, every: 7, label }),
    legend: names,
    head: [t('reports.dayCol'), ...names],
    rows: byDay.map((d) => [dayLabel(d.date), text(d.overflow_share, percent), text(d.abandon_share, percent)]),
  });
}

function csatChart(byDay) {
  const values = byDay.map((d) => d.csat_avg);
  const spread = range(values, (v) => num(v, 1));
  const label = spread ? t('reports.csatSummary', spread) : t('reports.noDataPeriod');
  return chartFigure({
    caption: t('reports.csatByDay'),
    svg: lineChart({ labels: byDay.map((d) => dayLabel(d.date)), series: [{ values }], format: (v) => num(v, 1), top: 5, every: 7, label }),
    head: [t('reports.dayCol'), t('reports.csatShort')],
    rows: byDay.map((d) => [dayLabel(d.date), text(d.csat_avg, (v) => t('reports.outOf5', { avg: num(v, 1) }))]),
  });
}

export function charts(r) {
  return h('div', { class: 'charts' },
    hourChart(r.by_hour || []),
    departmentChart(r.by_department || []),
    sharesChart(r.by_day || [], r),
    csatChart(r.by_day || []));
}

/** The admin's headline table, one row per store; choose(id) opens a store's report. */
export function storesTable(list, choose) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table' },
    h('caption', { class: 'visually-hidden' }, t('reports.allStores')),
    h('thead', {}, h('tr', {}, [t('reports.storeCol'), t('reports.requests'), t('reports.firstP50'), t('reports.overflow'), t('reports.csat')]
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, list.map((r) => h('tr', {},
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link-button', onclick: () => choose(r.store_id) }, r.store_name)),
      h('td', {}, num(r.requests)),
      h('td', {}, text(r.first_response_p50_s, seconds)),
      h('td', {}, text(r.overflow_share, percent)),
      h('td', {}, has(r.csat_avg) ? satisfaction(r.csat_avg, r.csat_positive_share) : t('reports.noData')))))));
}
