// Watches a page's requests for the phone's position, to prove when (and
// whether) the app asks for it.

/** An init script: counts calls to getCurrentPosition in window.__locationRequests. */
export function countLocationRequests() {
  window.__locationRequests = 0;
  const geo = navigator.geolocation;
  const original = geo.getCurrentPosition.bind(geo);
  geo.getCurrentPosition = (...args) => {
    window.__locationRequests += 1;
    return original(...args);
  };
}

export const locationRequests = (page) => page.evaluate(() => window.__locationRequests);
