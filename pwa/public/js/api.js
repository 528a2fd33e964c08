// The /api/v1 calls the app makes. Staff: the session lives in an HttpOnly cookie
// the browser sends by itself; the bearer token from login is deliberately not
// kept, so nothing script-readable can be stolen to act as the user. Shoppers
// have no account: their device's token goes in an Authorization header, never
// with the staff cookie.

const BASE = '/api/v1';
// A weak in-store signal can leave a request hanging for minutes; past this we
// tell the person rather than spin.
const TIMEOUT_MS = 20000;

/** The server answered with an error body: {"error": {code, message, field?}}. */
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

/** The request never got an answer: offline, timed out, or the connection dropped. */
export class NetworkError extends Error {}

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
 * opts.headers: extra headers such as Idempotency-Key.
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
  if (!res.ok) throw new ApiError(res.status, data, retryAfterSeconds(res.headers.get('Retry-After')));
  return data;
}

export const api = {
  login: (email, password) => request('POST', '/auth/login', { email, password }),
  logout: () => request('POST', '/auth/logout'),
  logoutEverywhere: () => request('POST', '/auth/logout-everywhere'),
  changePassword: (current, next) => request('PUT', '/me/password', { current_password: current, new_password: next }),
  resetPassword: (id) => request('POST', `/users/${encodeURIComponent(id)}/password-reset`),
  me: () => request('GET', '/me'),
  setStatus: (status) => request('PUT', '/me/status', { status }),
  stores: () => request('GET', '/stores'),
  store: (id) => request('GET', `/stores/${encodeURIComponent(id)}`),
  departments: (storeId) => request('GET', `/stores/${encodeURIComponent(storeId)}/departments`),
  locate: ({ lat, lng, accuracy }) => request('GET', `/locate?${new URLSearchParams({ lat, lng, accuracy })}`),
  spot: (code) => request('GET', `/spots/${encodeURIComponent(code)}`),
  spots: (storeId) => request('GET', `/stores/${encodeURIComponent(storeId)}/spots`),
  createSpot: (storeId, department, label) => request('POST', `/stores/${encodeURIComponent(storeId)}/spots`, { department, label }),
  hours: (storeId) => request('GET', `${st(storeId)}/hours`),
  setHours: (storeId, body) => request('PUT', `${st(storeId)}/hours`, body),

  vapidKey: () => request('GET', '/push/vapid-public-key'),
  subscribe: (sub, auth) => request('POST', '/push/subscriptions', sub, auth),
  unsubscribe: (endpoint, auth) => request('DELETE', '/push/subscriptions', { endpoint }, auth),

  queue: () => request('GET', '/queue'),
  myRequests: () => request('GET', '/me/requests'),
  accept: (id) => request('POST', `${hr(id)}/accept`),
  pass: (id) => request('POST', `${hr(id)}/pass`),
  resolve: (id) => request('POST', `${hr(id)}/resolve`),
  escalate: (id, to, reason) => request('POST', `${hr(id)}/escalate`, { to, reason }),
  acknowledge: (id) => request('POST', `${hr(id)}/acknowledge`),
  handOffLog: (id) => request('GET', `${hr(id)}/log`),

  // Shared by staff (cookie) and shoppers (auth = {bearer}).
  helpRequest: (id, auth) => request('GET', hr(id), undefined, auth),
  sendMessage: (id, text, auth, photoIds = []) => request('POST', `${hr(id)}/messages`,
    photoIds.length ? { body: text, photo_ids: photoIds } : { body: text }, auth),
  typing: (id, auth) => request('POST', `${hr(id)}/typing`, undefined, auth),
  attachProduct: (id, gtin, auth) => request('PUT', `${hr(id)}/product`, { gtin }, auth),
  seen: (id, messageId, auth) => request('POST', `${hr(id)}/seen`, { message_id: messageId }, auth),

  // Shoppers only.
  newShopper: () => request('POST', '/shoppers'),
  createHelpRequest: (body, key, bearer) => request('POST', '/help-requests', body, { bearer, headers: { 'Idempotency-Key': key } }),
  moveHelpRequest: (id, storeId, bearer) => request('PATCH', hr(id), { store_id: storeId }, { bearer }),
  cancel: (id, bearer) => request('POST', `${hr(id)}/cancel`, {}, { bearer }),
  rate: (id, score, comment, bearer) => request('POST', `${hr(id)}/rating`, comment ? { score, comment } : { score }, { bearer }),

  // Products and holds; auth is {bearer} for shoppers, omitted for staff.
  productByGtin: (storeId, gtin) => request('GET', `${st(storeId)}/products?${new URLSearchParams({ gtin })}`),
  products: (storeId, q, limit = 20) => request('GET', `${st(storeId)}/products?${new URLSearchParams({ q, limit })}`),
  createHold: (body, key, auth = {}) => request('POST', '/holds', body, { ...auth, headers: { 'Idempotency-Key': key } }),
  hold: (id, auth) => request('GET', hd(id), undefined, auth),
  myHolds: (auth) => request('GET', '/me/holds', undefined, auth),
  cancelHold: (id, auth) => request('POST', `${hd(id)}/cancel`, {}, auth),
  storeHolds: (storeId, status) => request('GET', `${st(storeId)}/holds?${new URLSearchParams({ status })}`),
  holdByCode: (storeId, code) => request('GET', `${st(storeId)}/holds/by-code/${encodeURIComponent(code)}`),
  holdReady: (id) => request('POST', `${hd(id)}/ready`),
  pickUp: (id, code) => request('POST', `${hd(id)}/pickup`, { pickup_code: code }),

  // Store operations.
  users: () => request('GET', '/users'),
  createUser: (body) => request('POST', '/users', body),
  updateUser: (id, body) => request('PATCH', `/users/${encodeURIComponent(id)}`, body),
  floor: (storeId) => request('GET', `${st(storeId)}/floor`),
  storeRequests: (storeId, status = '') => request('GET', `${st(storeId)}/requests${status ? `?${new URLSearchParams({ status })}` : ''}`),
  report: (storeId, period) => request('GET', `/reports/stores/${encodeURIComponent(storeId)}?${new URLSearchParams(period)}`),
  reports: (period) => request('GET', `/reports/stores?${new URLSearchParams(period)}`),
  savedReplies: () => request('GET', '/saved-replies'),
  createReply: (body) => request('POST', '/saved-replies', body),
  updateReply: (id, body) => request('PUT', `/saved-replies/${encodeURIComponent(id)}`, body),
  deleteReply: (id) => request('DELETE', `/saved-replies/${encodeURIComponent(id)}`),
};

function st(id) {
  return `/stores/${encodeURIComponent(id)}`;
}

function hd(id) {
  return `/holds/${encodeURIComponent(id)}`;
}

function hr(id) {
  return `/help-requests/${encodeURIComponent(id)}`;
}

/** A hold's QR image; shoppers pass their token, staff rely on the cookie. */
export function holdQRURL(id, token) {
  return `${BASE}${hd(id)}/qr.svg${token ? `?${new URLSearchParams({ access_token: token })}` : ''}`;
}

/** The URL of a help request's event stream (the token rides in the query for shoppers). */
export function eventsURL(path, token) {
  return BASE + path + (token ? `?${new URLSearchParams({ access_token: token })}` : '');
}
