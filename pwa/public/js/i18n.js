// One string table per language; the first of the browser's languages that we
// speak wins, so a phone set to "fr-CA, en" gets French and "de, fr" gets French.
import en from '/i18n/en.js';
import fr from '/i18n/fr.js';

const tables = { en, fr };
let lang = 'en';

/** Picks the language from the browser's preferences and marks up <html lang>. */
export function initLanguage(preferred = navigator.languages || [navigator.language]) {
  lang = 'en';
  for (const tag of preferred) {
    const primary = String(tag || '').toLowerCase().split('-')[0];
    if (primary in tables) {
      lang = primary;
      break;
    }
  }
  document.documentElement.lang = lang;
  return lang;
}

export function language() {
  return lang;
}

/** Returns the string for key, with {slot}s filled from vars. */
export function t(key, vars = {}) {
  const s = tables[lang][key] ?? tables.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** Fills every [data-i18n] element of root with its string; for static pages. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
}
