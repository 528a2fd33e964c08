// One string table per language, in parts: the first of the browser's languages
// that we speak wins (a phone set to "fr-CA, en" gets French, "de, fr" gets
// French), and only that language's parts are fetched. A shopper's phone loads
// the shopper's parts; the staff parts come with the staff screens at sign-in.
const LANGUAGES = ['en', 'fr'];
const SHOPPER_PARTS = ['', '-ops', '-hours', '-conversations'];
const STAFF_PARTS = ['-staff', '-account', '-manage', '-people', '-reports'];

let lang = 'en';
const table = {};
const loaded = new Map();

/** Picks the language from the browser's preferences and marks up <html lang>. */
export function initLanguage(preferred = navigator.languages || [navigator.language]) {
  lang = 'en';
  for (const tag of preferred) {
    const primary = String(tag || '').toLowerCase().split('-')[0];
    if (LANGUAGES.includes(primary)) {
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

function loadParts(parts) {
  return Promise.all(parts.map((part) => {
    const url = `/i18n/${lang}${part}.js`;
    if (!loaded.has(url)) {
      const loading = import(url).then((m) => { Object.assign(table, m.default); });
      // A part that failed (offline) is asked for again next time.
      loading.catch(() => loaded.delete(url));
      loaded.set(url, loading);
    }
    return loaded.get(url);
  }));
}

/** Fetches the strings of the shopper's screens, in the language picked. */
export function loadShopperStrings() {
  return loadParts(SHOPPER_PARTS);
}

/** Fetches the strings of the staff screens as well. */
export function loadStaffStrings() {
  return loadParts([...SHOPPER_PARTS, ...STAFF_PARTS]);
}

/** Whether the shopper's strings have arrived. */
export function hasStrings() {
  return 'app.name' in table;
}

/** Returns the string for key, with {slot}s filled from vars. */
export function t(key, vars = {}) {
  const s = table[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** Fills every [data-i18n] element of root with its string; for static pages. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
}
