// The product a request is about, as its card shows it to the shopper and to
// staff: name, price and what the store has available.
import { h } from './dom.js';
import { language, t } from './i18n.js';

/** A price in euros in the app's language, or "No price" without one. */
export function priceText(price) {
  if (typeof price !== 'number') return t('products.noPrice');
  return new Intl.NumberFormat(language(), { style: 'currency', currency: 'EUR' }).format(price);
}

/** The card for product p ({name, price, available}), with extra below; null without one. */
export function productCard(p, extra) {
  if (!p) return null;
  return h('section', { class: 'panel product-card', 'aria-label': t('barcode.product') },
    h('p', { class: 'product-name' }, p.name),
    h('p', {}, priceText(p.price)),
    h('p', {}, p.available > 0 ? t('barcode.available', { n: p.available }) : t('barcode.none')),
    extra || null);
}
