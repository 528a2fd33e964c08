// A few values the service worker needs while no page is open: the language
// for notification buttons, and the CSRF token so Accept / Pass on a
// notification can act for the signed-in person. localStorage is not
// reachable from a worker; IndexedDB is.
const DB = 'helpforce';
const STORE = 'kv';

function openDB() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Stores value under key (or deletes it when value is empty); never throws. */
export async function keep(key, value) {
  try {
    const db = await openDB();
    await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      if (value === undefined || value === null || value === '') tx.objectStore(STORE).delete(key);
      else tx.objectStore(STORE).put(value, key);
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  } catch {
    // Private modes may refuse IndexedDB; notifications then fall back to English
    // and their buttons open the app instead of acting directly.
  }
}
