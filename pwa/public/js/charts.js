// Small inline SVG charts for the reports: a line chart and a horizontal bar
// chart, each in a <figure> with its caption, a summary for screen readers and
// the numbers in a table that is hidden from sight but not from assistive tech.
import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 340;
const FONT = 12;
// Series differ by dash pattern as well as colour, so they read in grey too.
const DASHES = ['', '7 4', '2 3'];
const SERIES = ['series-a', 'series-b', 'series-a'];

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined && v !== '') el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function svgRoot(height, label) {
  return s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': label, focusable: 'false' });
}

/** Rounds max up to a tidy axis top: 1, 2, 2.5 or 5 times a power of ten. */
function niceTop(max) {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * A line chart. opts: labels (x axis, strings), series [{name, values (null = no
 * data)}], format (number → axis text), top (fixed y maximum, optional),
 * every (label every nth x), label (the aria summary).
 */
export function lineChart({ labels, series, format = String, top, every = 1, label }) {
  const height = 200;
  const left = 44;
  const right = 10;
  const topPad = 10;
  const bottom = 26;
  const plotW = WIDTH - left - right;
  const plotH = height - topPad - bottom;
  const all = series.flatMap((x) => x.values).filter((v) => typeof v === 'number');
  const yMax = top || niceTop(Math.max(0, ...all));
  const n = labels.length;
  const x = (i) => left + (n > 1 ? (i * plotW) / (n - 1) : plotW / 2);
  const y = (v) => topPad + plotH - (v / yMax) * plotH;
  const svg = svgRoot(height, label);

  const grid = s('g', { class: 'axis' });
  for (const step of [0, 0.5, 1]) {
    const v = yMax * step;
    grid.append(s('line', { x1: left, x2: WIDTH - right, y1: y(v), y2: y(v), stroke: 'currentColor', 'stroke-opacity': step ? 0.25 : 0.6 }));
    grid.append(s('text', { x: left - 4, y: y(v) + FONT / 3, 'text-anchor': 'end', 'font-size': FONT, fill: 'currentColor' }, format(v)));
  }
  labels.forEach((text, i) => {
    const last = i === n - 1;
    if (last ? n > 1 && (n - 1) % every !== 0 && (n - 1) % every <= every / 2 : i % every !== 0) return;
    const anchor = last && n > 1 ? 'end' : i === 0 ? 'start' : 'middle';
    grid.append(s('text', { x: x(i) + (anchor === 'start' ? -4 : 0), y: height - 8, 'text-anchor': anchor, 'font-size': FONT, fill: 'currentColor' }, text));
  });
  svg.append(grid);

  series.forEach((one, k) => {
    const g = s('g', { class: SERIES[k % SERIES.length] });
    // A null breaks the line: no data is not the same as zero.
    let d = '';
    let pen = false;
    one.values.forEach((v, i) => {
      if (typeof v !== 'number') { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
      g.append(s('circle', { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2.5, fill: 'currentColor' }));
    });
    g.prepend(s('path', { d: d.trim(), fill: 'none', stroke: 'currentColor', 'stroke-width': 2.5, 'stroke-dasharray': DASHES[k % DASHES.length], 'stroke-linejoin': 'round' }));
    svg.append(g);
  });
  return svg;
}

/** Horizontal bars: items [{label, value}], format (value → text), label (aria summary). */
export function barChart({ items, format = String, label }) {
  const row = 30;
  const labelW = 110;
  const valueW = 48;
  const height = Math.max(1, items.length) * row + 4;
  const max = Math.max(0, ...items.map((i) => i.value || 0)) || 1;
  const barW = WIDTH - labelW - valueW;
  const svg = svgRoot(height, label);
  items.forEach((item, i) => {
    const top = i * row + 4;
    const w = Math.max(item.value ? 2 : 0, ((item.value || 0) / max) * barW);
    svg.append(s('text', { x: 0, y: top + row / 2 + 1, 'font-size': FONT + 1, fill: 'currentColor' }, item.label));
    svg.append(s('g', { class: 'series-a' },
      s('rect', { x: labelW, y: top + 4, width: w.toFixed(1), height: row - 12, rx: 3, fill: 'currentColor' })));
    svg.append(s('text', { x: labelW + w + 4, y: top + row / 2 + 1, 'font-size': FONT + 1, 'font-weight': 700, fill: 'currentColor' }, format(item.value)));
  });
  return svg;
}

/**
 * The figure around a chart. legend: series names (drawn with their dash);
 * head: the table's column names; rows: arrays of cell texts.
 */
export function chartFigure({ caption, svg, legend = [], head, rows }) {
  // Wrapped: a table grows to fit its rows whatever height it is given.
  const table = h('div', { class: 'visually-hidden' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c))))))));
  const key = legend.length > 1
    ? h('ul', { class: 'legend', 'aria-hidden': 'true' }, legend.map((name, k) => h('li', { class: SERIES[k % SERIES.length] },
      h('span', { class: k % DASHES.length ? 'swatch dashed' : 'swatch' }), name)))
    : null;
  return h('figure', { class: 'chart' }, h('figcaption', {}, caption), svg, key, table);
}
