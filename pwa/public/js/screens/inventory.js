// /staff/inventory: a shift manager imports the store's stock from a CSV file
// (sku,name,on_hand[,price]), watching the upload and then the processing.
import { cookie, endSession } from '../api.js';
import { h, nextId } from '../dom.js';
import { language, t } from '../i18n.js';

function bar(label) {
  const fill = h('div', { class: 'progress-bar' });
  const text = h('p', { class: 'field-hint' });
  const node = h('div', { class: 'progress-block', hidden: true },
    h('div', { class: 'progress', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0' }, fill),
    text);
  return {
    node,
    set(percent, words) {
      node.hidden = false;
      const p = Math.max(0, Math.min(100, Math.round(percent)));
      fill.style.width = `${p}%`;
      node.firstChild.setAttribute('aria-valuenow', String(p));
      node.firstChild.setAttribute('aria-valuetext', words);
      text.textContent = words;
    },
  };
}

export function inventoryScreen(ctx) {
  const storeId = ctx.user.store_id;
  const nf = new Intl.NumberFormat(language());
  const fileId = nextId('file');
  const file = h('input', { id: fileId, type: 'file', accept: '.csv,text/csv', 'aria-describedby': `${fileId}-error ${fileId}-hint` });
  const error = h('p', { id: `${fileId}-error`, class: 'field-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('inventory.import'));
  const upload = bar(t('inventory.uploading'));
  const processing = bar(t('inventory.processing'));
  const result = h('div', { role: 'status', class: 'inventory-result' });

  function finish(last, total) {
    submit.disabled = false;
    if (!last) return void (error.textContent = t('inventory.failed'));
    if (last.error) {
      error.textContent = t('inventory.rejected', { message: last.error.message });
      file.setAttribute('aria-invalid', 'true');
      return;
    }
    processing.set(100, t('inventory.rows', { n: nf.format(last.upserted) }));
    const below = last.below_held || [];
    result.replaceChildren(h('p', { class: 'state' }, t('inventory.done', { n: nf.format(last.upserted) })),
      below.length ? h('p', {}, t('inventory.belowHeld')) : null,
      below.length ? h('ul', {}, below.map((b) => h('li', {}, t('inventory.belowLine', { sku: b.sku, on_hand: b.on_hand, held: b.held })))) : null);
    void total;
  }

  function send(picked, total) {
    const xhr = new XMLHttpRequest();
    let seen = 0;
    let last = null;
    const read = () => {
      const text = xhr.responseText;
      const end = text.lastIndexOf('\n');
      if (end < seen) return;
      for (const line of text.slice(seen, end).split('\n')) {
        if (!line.trim()) continue;
        try {
          last = JSON.parse(line);
        } catch {
          continue;
        }
        if (typeof last.rows === 'number') {
          processing.set(total ? (100 * last.rows) / total : 50, t('inventory.rows', { n: nf.format(last.rows) }));
        }
      }
      seen = end + 1;
    };
    xhr.open('PUT', `/api/v1/stores/${encodeURIComponent(storeId)}/inventory`);
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.setRequestHeader('Accept', 'application/x-ndjson');
    xhr.setRequestHeader('X-CSRF-Token', cookie('__Host-helpforce_csrf'));
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable) upload.set((100 * ev.loaded) / ev.total, t('inventory.sent', { percent: Math.round((100 * ev.loaded) / ev.total) }));
    };
    xhr.upload.onload = () => upload.set(100, t('inventory.sent', { percent: 100 }));
    xhr.onprogress = read;
    xhr.onload = () => {
      read();
      if (xhr.responseText.slice(seen).trim()) {
        try { last = JSON.parse(xhr.responseText.slice(seen)); } catch { /* an incomplete line says nothing */ }
      }
      if (xhr.status === 401) return endSession();
      if (xhr.status >= 400 && !(last && last.error)) last = { error: { message: t('inventory.status', { n: xhr.status }) } };
      finish(last, total);
    };
    xhr.onerror = () => finish(null, total);
    xhr.send(picked);
  }

  const form = h('form', { novalidate: true, class: 'inventory-form' },
    h('div', { class: 'field' }, h('label', { for: fileId }, t('inventory.file')),
      h('p', { id: `${fileId}-hint`, class: 'field-hint' }, t('inventory.hint')), file, error),
    submit, upload.node, processing.node, result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    file.removeAttribute('aria-invalid');
    result.replaceChildren();
    const picked = file.files && file.files[0];
    if (!picked) return void (error.textContent = t('inventory.pick'));
    submit.disabled = true;
    const text = await picked.text();
    const total = Math.max(0, text.split('\n').filter((l) => l.trim()).length - 1);
    upload.set(0, t('inventory.sent', { percent: 0 }));
    processing.set(0, t('inventory.rows', { n: 0 }));
    send(picked, total);
  });

  return {
    title: t('inventory.title'),
    node: h('section', { class: 'screen' }, h('h1', { tabindex: '-1' }, t('inventory.title')),
      storeId ? form : h('p', { class: 'form-error', role: 'alert' }, t('pick.noStore')),
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
  };
}
