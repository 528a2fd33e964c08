// Times in words, the way people say them in a shop.
import { language, t } from './i18n.js';

const MINUTE = 60;

function minutesText(seconds) {
  const total = Math.max(1, Math.round(seconds / MINUTE));
  if (total < 60) return t('time.minutes', { n: total });
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  return minutes ? t('time.hoursMinutes', { h: hours, m: minutes }) : t('time.hours', { h: hours });
}

/** "waiting 2 min", from the request's creation time. */
export function waitedText(createdAt, now = Date.now()) {
  const seconds = (now - Date.parse(createdAt)) / 1000;
  if (!(seconds >= 45)) return t('time.waitingJustNow');
  return t('time.waiting', { duration: minutesText(seconds) });
}

/** "for 5 min", from when something began. */
export function forText(since, now = Date.now()) {
  const seconds = (now - Date.parse(since)) / 1000;
  if (!(seconds >= 45)) return t('time.forJustNow');
  return t('time.for', { duration: minutesText(seconds) });
}

/** "usually about 2 min", from a store's recent median wait; '' when unknown. */
export function estimateText(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 45) return t('time.usuallyUnderMinute');
  return t('time.usually', { duration: minutesText(seconds) });
}

/** "14:05" in the person's language. */
export function clockTime(at) {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(language(), { hour: 'numeric', minute: '2-digit' }).format(d);
}

/** A <time> element's datetime attribute for at, or '' when unreadable. */
export function isoTime(at) {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** "today at 18:00", "tomorrow at 09:30" or "on 3 Dec at 18:00". */
export function dayTime(at, now = new Date()) {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  const time = clockTime(d);
  const day = (x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((day(d) - day(now)) / 86400000);
  if (days === 0) return t('time.todayAt', { time });
  if (days === 1) return t('time.tomorrowAt', { time });
  const date = new Intl.DateTimeFormat(language(), { day: 'numeric', month: 'short' }).format(d);
  return t('time.onAt', { date, time });
}
