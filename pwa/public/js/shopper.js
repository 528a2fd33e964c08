// The shopper's identity on this device: an anonymous token from the server,
// kept in localStorage so the same phone stays the same shopper, and the
// request they have open, so reopening the app returns to it.
import { api, Unauthorized } from './api.js';

const TOKEN_KEY = 'helpforce.shopper';
const OPEN_KEY = 'helpforce.openRequest';

function read(key) {
  try {
    return localStorage.getItem(key) || '';
  } catch {
    return ''; // storage blocked: the app still works for this page's life
  }
}

function write(key, value) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Nothing to do: the request still goes out, it just won't be remembered.
  }
}

let pending = null;

/** This device's shopper token, asked for once and then kept. */
export async function shopperToken({ fresh = false } = {}) {
  if (!fresh) {
    const kept = read(TOKEN_KEY);
    if (kept) return kept;
  }
  if (!pending) {
    pending = api.newShopper().then((s) => {
      write(TOKEN_KEY, s.token);
      return s.token;
    }).finally(() => { pending = null; });
  }
  return pending;
}

/** The token if this device already has one; never asks the server. */
export function knownShopperToken() {
  return read(TOKEN_KEY);
}

/**
 * Runs call(token); a token the server no longer knows (its database was
 * reset) is replaced once. Only for calls that don't depend on earlier ones.
 */
export async function asShopper(call) {
  try {
    return await call(await shopperToken());
  } catch (err) {
    if (!(err instanceof Unauthorized)) throw err;
    return call(await shopperToken({ fresh: true }));
  }
}

export const openRequest = {
  get: () => read(OPEN_KEY),
  set: (id) => write(OPEN_KEY, id),
  clear: () => write(OPEN_KEY, ''),
};

/** A random UUID (v4), for Idempotency-Key. */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
