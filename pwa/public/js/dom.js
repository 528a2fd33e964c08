// A tiny element builder: enough for a handful of screens without a framework.

/**
 * h('button', {class: 'primary', onclick: fn}, 'Get help') builds an element.
 * Attributes starting with "on" become listeners; false/null attributes are left out.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = value;
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? '' : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let uid = 0;
/** A page-unique id for label/aria wiring. */
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A control with its label, wired by id. */
export function field(label, control) {
  control.id = control.id || nextId('field');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}
