// Push alerts for this device: whether the browser can show them, turning them
// on from a tap (never on load), and keeping the subscription alive by posting
// it again on every start. Staff subscribe with their session, shoppers with
// their device token.
import { api, ApiError } from './api.js';
import { keep } from './keep.js';
import { knownShopperToken, shopperToken } from './shopper.js';
import { language } from './i18n.js';

const OWNER_KEY = 'helpforce.alerts';
// The push service answers in well under a second when it can be reached; a
// browser that cannot reach it may otherwise wait for minutes.
const SUBSCRIBE_TIMEOUT_MS = 20000;
const WORKER_TIMEOUT_MS = 10000;

/** Why alerts could not be turned on: 'denied' | 'dismissed' | 'failed' | 'network' | 'server'. */
export class AlertsError extends Error {
  constructor(reason, cause) {
    super(reason);
    this.reason = reason;
    this.cause = cause;
  }
}

function isIOS() {
  return /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
}

function standalone() {
  return navigator.standalone === true || matchMedia('(display-mode: standalone)').matches;
}

/** 'ready' | 'ios-home-screen' (Safari only pushes to Home Screen apps) | 'unsupported'. */
export function alertSupport() {
  if ('serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window) return 'ready';
  return isIOS() && !standalone() ? 'ios-home-screen' : 'unsupported';
}

/** 'granted' | 'denied' | 'default'. */
export function alertPermission() {
  return 'Notification' in window ? Notification.permission : 'default';
}

function owner() {
  try {
    return localStorage.getItem(OWNER_KEY) || '';
  } catch {
    return '';
  }
}

function setOwner(kind) {
  try {
    if (kind) localStorage.setItem(OWNER_KEY, kind);
    else localStorage.removeItem(OWNER_KEY);
  } catch {
    // Renewal on start then waits for the next tap; alerts still work meanwhile.
  }
}

function within(promise, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new DOMException('took too long', 'TimeoutError')), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function keyBytes(base64url) {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const a = new Uint8Array(buffer);
  return a.length === bytes.length && a.every((v, i) => v === bytes[i]);
}

async function auth(kind) {
  return kind === 'shopper' ? { bearer: await shopperToken() } : undefined;
}

async function post(sub, kind) {
  const { endpoint, keys } = sub.toJSON();
  // The app's language: the server writes this phone's alerts in it.
  await api.subscribe({ endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth }, lang: language() }, await auth(kind));
}

/** Whether alerts are on for this kind of person on this device. */
export async function alertsOn(kind) {
  if (alertSupport() !== 'ready' || alertPermission() !== 'granted' || owner() !== kind) return false;
  try {
    const reg = await within(navigator.serviceWorker.ready, WORKER_TIMEOUT_MS);
    return !!(await reg.pushManager.getSubscription());
  } catch {
    return false;
  }
}

/** Turns alerts on for kind ('staff' | 'shopper'); call only from a tap. */
export async function enableAlerts(kind) {
  const answer = await Notification.requestPermission();
  if (answer === 'denied') throw new AlertsError('denied');
  if (answer !== 'granted') throw new AlertsError('dismissed');
  let sub;
  try {
    const reg = await within(navigator.serviceWorker.ready, WORKER_TIMEOUT_MS);
    const key = keyBytes((await api.vapidKey()).key);
    sub = await reg.pushManager.getSubscription();
    if (sub && !sameKey(sub.options && sub.options.applicationServerKey, key)) {
      await sub.unsubscribe();
      sub = null;
    }
    if (!sub) sub = await within(reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }), SUBSCRIBE_TIMEOUT_MS);
  } catch (err) {
    if (err && err.name === 'NotAllowedError') throw new AlertsError('denied', err);
    throw new AlertsError(err instanceof ApiError ? 'server' : 'failed', err);
  }
  try {
    await post(sub, kind);
  } catch (err) {
    throw new AlertsError(err instanceof ApiError ? 'server' : 'network', err);
  }
  setOwner(kind);
  await keep('alertsAuth', kind === 'shopper' ? { kind, token: knownShopperToken() } : { kind });
}

/** Turns alerts off on this device and tells the server to forget it. */
export async function disableAlerts(kind) {
  const reg = await within(navigator.serviceWorker.ready, WORKER_TIMEOUT_MS);
  const sub = await reg.pushManager.getSubscription();
  if (sub) {
    await api.unsubscribe(sub.endpoint, await auth(kind)).catch(() => {});
    await sub.unsubscribe();
  }
  setOwner('');
  await keep('alertsAuth', '');
}

/**
 * On every start with permission granted, posts the existing subscription
 * again: the server keeps subscriptions it keeps hearing about.
 */
export async function renewAlerts() {
  const kind = owner();
  if (!kind || alertSupport() !== 'ready' || alertPermission() !== 'granted') return;
  if (kind === 'shopper' && !knownShopperToken()) return;
  try {
    const reg = await within(navigator.serviceWorker.ready, WORKER_TIMEOUT_MS);
    const sub = await reg.pushManager.getSubscription();
    if (sub) await post(sub, kind);
  } catch {
    // Signed out, offline or no worker yet: the next start tries again.
  }
}
