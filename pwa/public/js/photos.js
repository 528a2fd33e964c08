// Photos in the conversation: shrunk on the phone before they leave it (a
// weak in-store signal), uploaded with progress, and shown from the server,
// which keeps them stripped of their metadata.
import { cookie, endSession, requestApiPath } from './api.js';

const BASE = '/api/v1';
const MAX_SIDE = 1600;
const QUALITY = 0.8;

/** Shrinks an image file to at most 1600 px on its longer side, as JPEG. */
export async function shrink(file) {
  let bitmap;
  try {
    // from-image applies the camera's rotation before the metadata is dropped.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file; // the server will say whether it can read it
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff'; // JPEG has no transparency
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
  return blob || file;
}

/**
 * Uploads a photo for request id; onProgress(0..1) follows the upload.
 * Resolves to {id, url, thumb_url, width, height}; rejects with {status, code}.
 */
export function upload(id, blob, auth, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${BASE}${requestApiPath(id)}/photos`);
    xhr.setRequestHeader('Accept', 'application/json');
    if (auth && auth.bearer) xhr.setRequestHeader('Authorization', `Bearer ${auth.bearer}`);
    else {
      xhr.withCredentials = true;
      const csrf = cookie('__Host-helpforce_csrf');
      if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    }
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable) onProgress(ev.loaded / ev.total); };
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 201) return resolve(data);
      // A staff upload made with the session cookie: the session has ended.
      if (xhr.status === 401 && !(auth && auth.bearer)) endSession();
      reject({ status: xhr.status, code: data && data.error ? data.error.code : '' });
    };
    xhr.onerror = () => reject({ status: 0, code: 'network' });
    const form = new FormData();
    form.append('photo', blob, 'photo.jpg');
    xhr.send(form);
  });
}

/**
 * Sets img's source to a photo address. Staff sign in with a cookie, which
 * an <img> sends; a shopper's token is a header, so their photos are fetched
 * and shown from memory (the browser still caches the answer).
 */
export async function showPhoto(img, url, auth) {
  if (!auth || !auth.bearer) {
    img.src = url;
    return;
  }
  try {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${auth.bearer}` } });
    if (res.ok) img.src = URL.createObjectURL(await res.blob());
  } catch { /* the alt text stands in */ }
}
