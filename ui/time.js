// @ts-check
/** Times as Discord shows them, in the reader's own locale and time zone. */

const UNITS = /** @type {const} */ ([
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
]);

/** "in 5 minutes", "3 hours ago": Discord's `<t:…:R>`. */
export function relativeTime(/** @type {number} */ atMs, /** @type {number} */ nowMs) {
  const seconds = Math.round((atMs - nowMs) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'always' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return rtf.format(Math.trunc(seconds / size), unit);
  }
  return rtf.format(0, 'second');
}

/** @type {Record<string, Intl.DateTimeFormatOptions>} */
const STYLES = {
  t: { timeStyle: 'short' },
  T: { timeStyle: 'medium' },
  d: { dateStyle: 'short' },
  D: { dateStyle: 'long' },
  f: { dateStyle: 'long', timeStyle: 'short' },
  F: { dateStyle: 'full', timeStyle: 'short' },
};

/** Discord's `<t:UNIX:STYLE>`; R is relative to now, the rest are local dates and times. */
export function discordTimestamp(/** @type {number} */ unixSeconds, style = 'f', nowMs = Date.now()) {
  const atMs = unixSeconds * 1000;
  if (style === 'R') return relativeTime(atMs, nowMs);
  return new Intl.DateTimeFormat(undefined, STYLES[style] ?? STYLES.f).format(atMs);
}

/** "Today at 3:12 AM", "Yesterday at …", else a short date and time: a message header or footer. */
export function calendarTime(/** @type {number} */ atMs, nowMs = Date.now()) {
  const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(atMs);
  const day = (/** @type {number} */ ms) => new Date(ms).toDateString();
  if (day(atMs) === day(nowMs)) return `Today at ${time}`;
  if (day(atMs) === day(nowMs - 24 * 3600 * 1000)) return `Yesterday at ${time}`;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' }).format(atMs);
}

/** "850 ms", "12 s", "3 min 5 s", "2 h 10 min": ages and waits on the status page. */
export function duration(/** @type {number} */ ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return m % 60 ? `${hours} h ${m % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}
