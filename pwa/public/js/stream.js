// Live updates from a Server-Sent Events stream, with polling while the stream
// is down: a weak in-store signal drops connections, and the person must still
// see their request move. EventSource resends Last-Event-ID by itself when it
// reconnects; after a hard failure a new stream starts with a fresh snapshot.
import { eventStreamURL } from './api.js';

const POLL_MS = 5000;
const REOPEN_MS = 15000;
// A stream the server closes and the browser reopens at once is not worth
// telling anyone about; one still down after this is.
const GRACE_MS = 2000;

/**
 * follow({path, token?, on: {eventName: fn(data, event)}, poll: async fn, onLive: fn(bool)})
 * starts following and returns stop().
 */
export function follow({ path, token = '', on, poll, onLive }) {
  let source = null;
  let pollTimer = 0;
  let graceTimer = 0;
  let reopenTimer = 0;
  let stopped = false;
  let live = true;

  function setLive(next) {
    if (next === live) return;
    live = next;
    onLive(next);
  }

  async function pollOnce() {
    if (stopped) return;
    try {
      await poll();
    } catch {
      // The next round tries again; the paused line already says so.
    }
    if (!stopped && pollTimer) pollTimer = setTimeout(pollOnce, POLL_MS);
  }

  function startPolling() {
    if (pollTimer || stopped) return;
    pollTimer = setTimeout(pollOnce, 0);
  }

  function stopPolling() {
    clearTimeout(pollTimer);
    pollTimer = 0;
  }

  function open() {
    if (stopped) return;
    if (!('EventSource' in window)) {
      setLive(false);
      startPolling();
      return;
    }
    const es = new EventSource(eventStreamURL(path, token));
    source = es;
    for (const [name, fn] of Object.entries(on)) {
      es.addEventListener(name, (ev) => {
        let data;
        try {
          data = JSON.parse(ev.data);
        } catch {
          return;
        }
        fn(data, ev);
      });
    }
    es.addEventListener('open', () => {
      clearTimeout(graceTimer);
      graceTimer = 0;
      stopPolling();
      setLive(true);
    });
    es.addEventListener('error', () => {
      if (es.readyState === EventSource.CLOSED) {
        // The server refused the stream: the browser won't retry by itself.
        es.close();
        if (source === es) source = null;
        clearTimeout(reopenTimer);
        reopenTimer = setTimeout(open, REOPEN_MS);
      }
      if (!graceTimer) {
        graceTimer = setTimeout(() => {
          graceTimer = 0;
          if (source && source.readyState === EventSource.OPEN) return;
          setLive(false);
          startPolling();
        }, GRACE_MS);
      }
    });
  }

  open();

  return function stop() {
    stopped = true;
    clearTimeout(graceTimer);
    clearTimeout(reopenTimer);
    stopPolling();
    if (source) source.close();
    source = null;
  };
}
