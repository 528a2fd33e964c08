// A product from the conversation: either side scans or types a barcode in an
// open request's chat, and the request's card then shows that product to both.
// The barcode field (with its camera code) loads on the first tap only.
import { ApiError, Conflict } from './api.js';
import { h, nextId } from './dom.js';
import { t } from './i18n.js';
import { problemText } from './problem.js';

/**
 * chatProduct({attach: async (code) => request, onAttached(request)}) →
 * {node, setOpen(bool)}. attach sends the code; onAttached shows the answer.
 */
export function chatProduct({ attach, onAttached }) {
  const panelId = nextId('chat-product');
  const toggle = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': panelId },
    t('chat.addProduct'));
  const panel = h('div', { id: panelId, class: 'chat-product', hidden: true });
  const outcome = h('p', { class: 'field-hint', role: 'status' });
  let field = null;
  let busy = false;

  function close() {
    // Focus inside the panel (Scan, Show this product) would be lost with it.
    if (panel.contains(document.activeElement)) toggle.focus();
    panel.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    if (field) field.stop();
  }

  async function show(button) {
    if (busy) return;
    const code = field.value();
    if (!code) {
      field.set(t('chat.barcodeEmpty'));
      field.input.focus();
      return;
    }
    if (!field.check()) {
      field.input.focus();
      return;
    }
    busy = true;
    button.disabled = true;
    outcome.textContent = '';
    try {
      const req = await attach(code);
      onAttached(req);
      outcome.textContent = req.product ? t('chat.productShown', { name: req.product.name }) : t('chat.productUnknown');
      field.input.value = '';
      if (req.product) close();
    } catch (err) {
      if (err instanceof ApiError && err.field === 'gtin') field.set(t('barcode.invalid'));
      else if (err instanceof Conflict) outcome.textContent = t('chat.closed');
      else outcome.textContent = t('chat.productNotAdded', { reason: problemText(err) });
    } finally {
      busy = false;
      button.disabled = false;
    }
  }

  async function build() {
    const { barcodeField } = await import('./barcode.js');
    field = barcodeField({ label: t('chat.barcode') });
    const button = h('button', { type: 'button', class: 'primary' }, t('chat.showProduct'));
    button.addEventListener('click', () => show(button));
    // Enter in the field shows the product; it must not send the chat's message.
    field.input.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      show(button);
    });
    // A scan fills the field without typing: the product is shown at once.
    let typed = false;
    field.input.addEventListener('input', () => { typed = true; });
    field.input.addEventListener('change', () => {
      if (!typed && field.value()) show(button);
      typed = false;
    });
    panel.replaceChildren(field.node, button);
  }

  toggle.addEventListener('click', async () => {
    if (!panel.hidden) return close();
    outcome.textContent = '';
    if (!field) {
      try {
        await build();
      } catch (err) {
        outcome.textContent = problemText(err);
        return;
      }
    }
    panel.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    field.input.focus();
  });

  const node = h('div', { class: 'chat-product-tools' }, toggle, panel, outcome);
  return {
    node,
    setOpen(open) {
      node.hidden = !open;
      if (!open) close();
    },
  };
}
