// What the Get help flow remembers between its screens in this page's life:
// where the phone was found and the stores seen so far. The screens' URLs carry
// the choices themselves (store, department), so a reload or Back still works.
import { api } from './api.js';
import { h } from './dom.js';
import { language, t } from './i18n.js';

export const flow = {
  // Set by the Get help tap: the location is asked for only right after it.
  locateNow: false,
  // {lat, lng, accuracy} of the last fix, kept for the request, never stored.
  position: null,
  // The last /locate answer, or {problem: 'denied' | 'unavailable' | 'timeout'}.
  outcome: null,
};

const known = new Map();

/** Keeps store summaries seen in any answer, so later screens can name them at once. */
export function remember(...stores) {
  for (const s of stores) if (s && s.id) known.set(s.id, s);
}

/** The store's summary, from memory or from the server. */
export async function storeSummary(id) {
  if (!known.has(id)) remember(await api.store(id));
  return known.get(id);
}

/** Every store, sorted by name; fetched once per page life. */
let allStores = null;
export async function stores() {
  if (!allStores) {
    const list = await api.stores();
    remember(...list);
    allStores = list;
  }
  return allStores;
}

// fillStoreSelect lists every store in an admin's store picker and returns
// the first one's id ('' when there is none).
export async function fillStoreSelect(select) {
  const list = await stores();
  select.replaceChildren(...list.map((s) => h('option', { value: s.id }, s.name)));
  return list.length ? list[0].id : '';
}

// openStore starts a staff screen on its store: the member's own or, for an
// admin, the first store once the picker lists them all. It calls show(id)
// with that store, none() when there is none, and fail(err) when the stores
// cannot be listed.
export async function openStore(admin, select, own, { show, none, fail }) {
  let id = own;
  if (admin) {
    try {
      id = await fillStoreSelect(select);
    } catch (err) {
      return fail(err);
    }
  }
  if (id) show(id);
  else none();
}

// Accurate enough to tell two neighbouring stores apart, quick enough in a
// shop where the fix may come from Wi-Fi; a fix from the last half-minute is
// as good as a new one for someone standing in an aisle.
const GEO_OPTIONS = { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 };
const GEO_PROBLEMS = { 1: 'denied', 2: 'unavailable', 3: 'timeout' };

/** The phone's position, or a rejection with {problem} in words the screens know. */
export function currentPosition() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject({ problem: 'unavailable' });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({
        lat: pos.coords.latitude,
        lng: pos.coords.longitude,
        accuracy: Math.max(1, Math.round(pos.coords.accuracy || 1)),
      }),
      (err) => reject({ problem: GEO_PROBLEMS[err && err.code] || 'unavailable' }),
      GEO_OPTIONS,
    );
  });
}

/** "about 20 m away" / "about 5.5 km away", or '' for a store the phone is in. */
export function distanceText(meters) {
  if (!(meters > 0)) return '';
  const nf = (max) => new Intl.NumberFormat(language(), { maximumFractionDigits: max });
  let text;
  if (meters < 50) text = `${nf(0).format(Math.max(5, Math.round(meters / 5) * 5))} m`;
  else if (meters < 995) text = `${nf(0).format(Math.round(meters / 10) * 10)} m`;
  else text = `${nf(meters < 10000 ? 1 : 0).format(meters / 1000)} km`;
  return t('help.away', { distance: text });
}
