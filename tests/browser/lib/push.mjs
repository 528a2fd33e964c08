// A push endpoint for browser tests. Chromium here cannot reach a real push
// service, so a test hands the app a subscription to this receiver instead:
// the server then encrypts (RFC 8291, aes128gcm) and signs (VAPID) each alert
// exactly as for a phone, and the receiver decrypts it with the
// subscription's private key, as the phone would.
import { createECDH, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import http from 'node:http';

function b64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

/** decrypt opens one aes128gcm message for the keys of a subscription. */
function decrypt(body, ecdh, authSecret) {
  const salt = body.subarray(0, 16);
  const idLen = body[20];
  const serverKey = body.subarray(21, 21 + idLen);
  const sealed = body.subarray(21 + idLen);
  const shared = ecdh.computeSecret(serverKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), serverKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const padded = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 2, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('no padding delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/**
 * Starts a receiver on loopback. → {host, subscription(), next(), close()}:
 * subscription() makes keys and an endpoint; next() resolves to the next
 * decrypted payload (parsed JSON) with the VAPID Authorization header.
 */
export async function pushReceiver() {
  const subs = new Map();
  const queue = [];
  const waiting = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const sub = subs.get(req.url);
      if (!sub || req.headers['content-encoding'] !== 'aes128gcm' || !/^vapid t=.+, k=.+/.test(req.headers.authorization || '')) {
        res.writeHead(400).end();
        return;
      }
      let payload;
      try {
        payload = JSON.parse(decrypt(Buffer.concat(chunks), sub.ecdh, sub.auth));
      } catch {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(201).end();
      const got = { endpoint: req.url, payload };
      const w = waiting.shift();
      if (w) w(got);
      else queue.push(got);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${server.address().port}`;
  return {
    host,
    subscription() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${b64url(randomBytes(9))}`;
      subs.set(path, { ecdh, auth });
      return { endpoint: `http://${host}${path}`, p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) };
    },
    next(timeout = 10000) {
      if (queue.length) return Promise.resolve(queue.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no push arrived')), timeout);
        waiting.push((got) => { clearTimeout(timer); resolve(got); });
      });
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * The browser's PushManager, answering with sub (from subscription()) in
 * place of a push service's: add it to a context with addInitScript.
 */
export function fakePushManager(sub) {
  const fake = {
    endpoint: sub.endpoint,
    options: null,
    toJSON: () => ({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }),
    unsubscribe: async () => { localStorage.removeItem('test-push'); return true; },
  };
  PushManager.prototype.subscribe = async function subscribe(opts) {
    localStorage.setItem('test-push', '1');
    fake.options = { applicationServerKey: opts.applicationServerKey };
    return fake;
  };
  PushManager.prototype.getSubscription = async function getSubscription() {
    return localStorage.getItem('test-push') ? fake : null;
  };
}
