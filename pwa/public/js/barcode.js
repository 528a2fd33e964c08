// Product barcodes: EAN-13, UPC-A and EAN-8. The camera reads them where the
// browser has a BarcodeDetector (Chrome on Android); elsewhere the shopper
// types the digits. The check digit is verified here and on the server.
import { h, nextId } from './dom.js';
import { t } from './i18n.js';

/** Whether s is 8, 12 or 13 digits ending in a valid GS1 check digit. */
export function validGtin(s) {
  if (!/^(\d{8}|\d{12}|\d{13})$/.test(s)) return false;
  let sum = 0;
  for (let i = s.length - 2, w = 3; i >= 0; i -= 1, w = 4 - w) sum += Number(s[i]) * w;
  return (10 - (sum % 10)) % 10 === Number(s[s.length - 1]);
}

const FORMATS = ['ean_13', 'upc_a', 'ean_8'];

async function detector() {
  if (!('BarcodeDetector' in window)) return null;
  try {
    const supported = await window.BarcodeDetector.getSupportedFormats();
    const formats = FORMATS.filter((f) => supported.includes(f));
    return formats.length ? new window.BarcodeDetector({ formats }) : null;
  } catch {
    return null;
  }
}

/**
 * A barcode field: digits typed (inputmode numeric), or scanned with the
 * camera where the browser can; label names it ('Barcode (optional)' by
 * default). → {node, input, value(), check() → bool, set(msg), stop()}.
 */
export function barcodeField({ label = t('barcode.label') } = {}) {
  const id = nextId('barcode');
  const input = h('input', {
    id, name: 'gtin', type: 'text', inputmode: 'numeric', autocomplete: 'off', pattern: '[0-9]*', maxlength: '13',
    enterkeyhint: 'done', 'aria-describedby': `${id}-hint ${id}-error`,
  });
  const error = h('p', { id: `${id}-error`, class: 'field-error' });
  const video = h('video', { class: 'scan-view', muted: true, playsinline: true, hidden: true });
  const scan = h('button', { type: 'button', class: 'secondary', hidden: true }, t('barcode.scan'));
  let stream = null;

  function set(message) {
    error.textContent = message || '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function stop() {
    if (stream) stream.getTracks().forEach((tr) => tr.stop());
    stream = null;
    video.hidden = true;
    scan.textContent = t('barcode.scan');
  }

  detector().then((d) => {
    if (!d) return;
    scan.hidden = false;
    scan.addEventListener('click', async () => {
      if (stream) return stop();
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      } catch {
        set(t('barcode.noCamera'));
        return;
      }
      video.srcObject = stream;
      video.hidden = false;
      scan.textContent = t('barcode.stop');
      await video.play().catch(() => {});
      while (stream) {
        // The screen was left (a request sent, another page): the camera goes off with it.
        if (!video.isConnected) {
          stop();
          break;
        }
        const found = await d.detect(video).catch(() => []);
        const hit = found.find((b) => validGtin(b.rawValue));
        if (hit) {
          input.value = hit.rawValue;
          set('');
          stop();
          input.dispatchEvent(new Event('change'));
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    });
  });

  const node = h('div', { class: 'field barcode' },
    h('label', { for: id }, label),
    h('p', { id: `${id}-hint`, class: 'field-hint' }, t('barcode.hint')),
    input, error, scan, video);
  return {
    node,
    input,
    value: () => input.value.replace(/\s+/g, ''),
    check() {
      const v = input.value.replace(/\s+/g, '');
      if (v && !validGtin(v)) {
        set(t('barcode.invalid'));
        return false;
      }
      set('');
      return true;
    },
    set,
    stop,
  };
}
