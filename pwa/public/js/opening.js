// Words for a store's opening state, read in the store's own time zone: a
// shopper in Lyon and a manager checking from elsewhere both read the hours
// on the store's door.
import { language, t } from './i18n.js';

const DAY_MS = 86400000;

function format(date, timeZone, options) {
  try {
    return new Intl.DateTimeFormat(language(), { ...options, timeZone }).format(date);
  } catch {
    // A zone this browser does not know: the phone's own is the best guess.
    return new Intl.DateTimeFormat(language(), options).format(date);
  }
}

// The local calendar date as a day number, for counting days between dates.
function dayNumber(date, timeZone) {
  let iso;
  try {
    iso = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
  } catch {
    iso = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
  }
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

/** "tomorrow at 09:00", "on Monday at 10:00", … for an opening time. */
export function opensText(opensAt, timeZone, now = new Date()) {
  const at = new Date(opensAt);
  const time = format(at, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const days = dayNumber(at, timeZone) - dayNumber(now, timeZone);
  if (days <= 0) return t('opens.today', { time });
  if (days === 1) return t('opens.tomorrow', { time });
  if (days < 7) return t('opens.weekday', { day: format(at, timeZone, { weekday: 'long' }), time });
  return t('opens.date', { date: format(at, timeZone, { weekday: 'long', day: 'numeric', month: 'long' }), time });
}

/** What a shopper is told of a closed store (its JSON from /stores/{id}), or '' when it is open. */
export function closedText(store) {
  if (!store || store.open_now !== false) return '';
  if (!store.opens_at) return t('help.closedLong', { store: store.name });
  return t('help.closed', { store: store.name, when: opensText(store.opens_at, store.timezone) });
}
