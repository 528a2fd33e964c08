// The /api/v1 calls the app makes. Staff: the session lives in an HttpOnly cookie
// the browser sends by itself; the bearer token from login is deliberately not
// kept, so nothing script-readable can be stolen to act as the user. Shoppers
// have no account: their device's token goes in an Authorization header, never
// with the staff cookie.

const BASE = '/api/v1';
// A weak in-store signal can leave a request hanging for minutes; past this we
// tell the person rather than spin.
const TIMEOUT_MS = 20000;

/**
 * The server answered with an error body: {"error": {code, message, field?}}.
 * Each code the screens act on has its own class below (see errorFor), so a
 * screen asks `err instanceof Conflict`, not for a status number.
 */
export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || '';
    this.field = e.field || '';
    this.retryAfter = retryAfter;
  }
}

/** 400 or 422 invalid_input: err.field names what to correct. */
export class InvalidInput extends ApiError {}
/** 401: not signed in, the session ended, or (at sign-in) a wrong password. */
export class Unauthorized extends ApiError {}
/** 403: signed in, but this is not theirs to do. */
export class Forbidden extends ApiError {}
/** 404: no such thing, or not theirs to see. */
export class NotFound extends ApiError {}
/** 409: the thing changed meanwhile (closed, already done, not enough left). */
export class Conflict extends ApiError {}
/** 409 already_taken: someone else accepted the request first. */
export class AlreadyTaken extends Conflict {}
/** 409 insufficient_stock: fewer units are available than asked for. */
export class InsufficientStock extends Conflict {}
/** 429: too many attempts; err.retryAfter says in how many seconds to try again. */
export class RateLimited extends ApiError {}

/** The request never got an answer: offline, timed out, or the connection dropped. */
export class NetworkError extends Error {}

const BY_CODE = { already_taken: AlreadyTaken, insufficient_stock: InsufficientStock };
const BY_STATUS = { 400: InvalidInput, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict, 422: InvalidInput, 429: RateLimited };

/** The error for an answer with status and body: the code's class, else the status's. */
export function errorFor(status, body, retryAfter = 0) {
  const code = body && body.error && body.error.code;
  const Kind = BY_CODE[code] || BY_STATUS[status] || ApiError;
  return new Kind(status, body, retryAfter);
}

// The one place a lost staff session is noticed: a call made with the
// session cookie answered 401. The app sets what happens then (back to
// sign-in, saying why); screens only handle what is theirs.
let sessionEnded = () => {};

/** Sets fn as what happens when a call finds the staff session ended. */
export function onSessionEnded(fn) {
  sessionEnded = fn;
}

/** Reports an ended session noticed outside request() (an upload's 401). */
export function endSession() {
  sessionEnded();
}

export function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return '';
}

// Retry-After is either a number of seconds or an HTTP date (RFC 9110 §10.2.3).
function retryAfterSeconds(value) {
  if (!value) return 0;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.round((at - Date.now()) / 1000));
}

/**
 * One call. opts.bearer: a shopper token (sent instead of the cookie);
 * opts.headers: extra headers such as Idempotency-Key; opts.answers401: a
 * 401 here is an answer (a wrong password, nobody signed in), not a session
 * that ended. Throws errorFor's classes, or NetworkError.
 */
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.bearer) {
    headers.Authorization = `Bearer ${opts.bearer}`;
  } else if (method !== 'GET' && method !== 'HEAD') {
    // Double-submit: the server compares this header with its own cookie, which
    // another site's form can send but cannot read.
    const csrf = cookie('__Host-helpforce_csrf');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: opts.bearer ? 'omit' : 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new NetworkError(err && err.message);
  }
  let data = null;
  if (res.status !== 204) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (res.ok) return data;
  if (res.status === 401 && !opts.bearer && !opts.answers401) sessionEnded();
  throw errorFor(res.status, data, retryAfterSeconds(res.headers.get('Retry-After')));
}

export const api = {
  // A 401 from these is their answer: a wrong password, or already signed out.
  login: (email, password) => request('POST', '/auth/login', { email, password }, { answers401: true }),
  logout: () => request('POST', '/auth/logout', undefined, { answers401: true }),
  logoutEverywhere: () => request('POST', '/auth/logout-everywhere', undefined, { answers401: true }),
  changePassword: (current, next) => request('PUT', '/me/password', { current_password: current, new_password: next }),
  resetPassword: (id) => request('POST', `/users/${encodeURIComponent(id)}/password-reset`),
  me: () => request('GET', '/me', undefined, { answers401: true }),
  setStatus: (status) => request('PUT', '/me/status', { status }),
  stores: () => request('GET', '/stores'),
  store: (id) => request('GET', storeApiPath(id)),
  departments: (storeId) => request('GET', `${storeApiPath(storeId)}/departments`),
  locate: ({ lat, lng, accuracy }) => request('GET', `/locate?${new URLSearchParams({ lat, lng, accuracy })}`),
  spot: (code) => request('GET', `/spots/${encodeURIComponent(code)}`),
  spots: (storeId) => request('GET', `${storeApiPath(storeId)}/spots`),
  createSpot: (storeId, department, label) => request('POST', `${storeApiPath(storeId)}/spots`, { department, label }),
  hours: (storeId) => request('GET', `${storeApiPath(storeId)}/hours`),
  setHours: (storeId, body) => request('PUT', `${storeApiPath(storeId)}/hours`, body),

  vapidKey: () => request('GET', '/push/vapid-public-key'),
  subscribe: (sub, auth) => request('POST', '/push/subscriptions', sub, auth),
  unsubscribe: (endpoint, auth) => request('DELETE', '/push/subscriptions', { endpoint }, auth),

  queue: () => request('GET', '/queue'),
  myRequests: () => request('GET', '/me/requests'),
  accept: (id) => request('POST', `${requestApiPath(id)}/accept`),
  pass: (id) => request('POST', `${requestApiPath(id)}/pass`),
  resolve: (id) => request('POST', `${requestApiPath(id)}/resolve`),
  escalate: (id, to, reason) => request('POST', `${requestApiPath(id)}/escalate`, { to, reason }),
  acknowledge: (id) => request('POST', `${requestApiPath(id)}/acknowledge`),
  handOffLog: (id) => request('GET', `${requestApiPath(id)}/log`),

  // Shared by staff (cookie) and shoppers (auth = {bearer}).
  helpRequest: (id, auth) => request('GET', requestApiPath(id), undefined, auth),
  sendMessage: (id, text, auth, photoIds = []) => request('POST', `${requestApiPath(id)}/messages`,
    photoIds.length ? { body: text, photo_ids: photoIds } : { body: text }, auth),
  typing: (id, auth) => request('POST', `${requestApiPath(id)}/typing`, undefined, auth),
  attachProduct: (id, gtin, auth) => request('PUT', `${requestApiPath(id)}/product`, { gtin }, auth),
  seen: (id, messageId, auth) => request('POST', `${requestApiPath(id)}/seen`, { message_id: messageId }, auth),

  // Shoppers only.
  newShopper: () => request('POST', '/shoppers'),
  createHelpRequest: (body, key, bearer) => request('POST', '/help-requests', body, { bearer, headers: { 'Idempotency-Key': key } }),
  moveHelpRequest: (id, storeId, bearer) => request('PATCH', requestApiPath(id), { store_id: storeId }, { bearer }),
  cancel: (id, bearer) => request('POST', `${requestApiPath(id)}/cancel`, {}, { bearer }),
  rate: (id, score, comment, bearer) => request('POST', `${requestApiPath(id)}/rating`, comment ? { score, comment } : { score }, { bearer }),

  // Products and holds; auth is {bearer} for shoppers, omitted for staff.
  productByGtin: (storeId, gtin) => request('GET', `${storeApiPath(storeId)}/products?${new URLSearchParams({ gtin })}`),
  products: (storeId, q, limit = 20) => request('GET', `${storeApiPath(storeId)}/products?${new URLSearchParams({ q, limit })}`),
  createHold: (body, key, auth = {}) => request('POST', '/holds', body, { ...auth, headers: { 'Idempotency-Key': key } }),
  hold: (id, auth) => request('GET', holdApiPath(id), undefined, auth),
  myHolds: (auth) => request('GET', '/me/holds', undefined, auth),
  cancelHold: (id, auth) => request('POST', `${holdApiPath(id)}/cancel`, {}, auth),
  storeHolds: (storeId, status) => request('GET', `${storeApiPath(storeId)}/holds?${new URLSearchParams({ status })}`),
  holdByCode: (storeId, code) => request('GET', `${storeApiPath(storeId)}/holds/by-code/${encodeURIComponent(code)}`),
  holdReady: (id) => request('POST', `${holdApiPath(id)}/ready`),
  pickUp: (id, code) => request('POST', `${holdApiPath(id)}/pickup`, { pickup_code: code }),

  // Store operations.
  users: () => request('GET', '/users'),
  createUser: (body) => request('POST', '/users', body),
  updateUser: (id, body) => request('PATCH', `/users/${encodeURIComponent(id)}`, body),
  floor: (storeId) => request('GET', `${storeApiPath(storeId)}/floor`),
  storeRequests: (storeId, status = '') => request('GET', `${storeApiPath(storeId)}/requests${status ? `?${new URLSearchParams({ status })}` : ''}`),
  report: (storeId, period) => request('GET', `/reports/stores/${encodeURIComponent(storeId)}?${new URLSearchParams(period)}`),
  reports: (period) => request('GET', `/reports/stores?${new URLSearchParams(period)}`),
  savedReplies: () => request('GET', '/saved-replies'),
  createReply: (body) => request('POST', '/saved-replies', body),
  updateReply: (id, body) => request('PUT', `/saved-replies/${encodeURIComponent(id)}`, body),
  deleteReply: (id) => request('DELETE', `/saved-replies/${encodeURIComponent(id)}`),
};

/** The API path of a store, under BASE: /stores/{id}. */
function storeApiPath(id) {
  return `/stores/${encodeURIComponent(id)}`;
}

/** The API path of a hold, under BASE: /holds/{id}. */
function holdApiPath(id) {
  return `/holds/${encodeURIComponent(id)}`;
}

/** The API path of a help request, under BASE: /help-requests/{id}. */
export function requestApiPath(id) {
  return `/help-requests/${encodeURIComponent(id)}`;
}

/** The address of a hold's QR image; shoppers pass their token, staff rely on the cookie. */
export function holdQRImageURL(id, token) {
  return `${BASE}${holdApiPath(id)}/qr.svg${token ? `?${new URLSearchParams({ access_token: token })}` : ''}`;
}

/** The address of an event stream at API path (the token rides in the query for shoppers). */
export function eventStreamURL(path, token) {
  return BASE + path + (token ? `?${new URLSearchParams({ access_token: token })}` : '');
}
