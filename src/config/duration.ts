/**
 * Durations as Prometheus and Alertmanager read them (`model.ParseDuration`): units from the
 * largest to the smallest, each at most once, e.g. `1h30m`, `1d`, `1w`, `1h30m15s500ms`;
 * `y` is 365 days. A single unit may also carry a decimal (`1.5s`), as alertcord always read it.
 */
const UNIT_MS = {
  y: 365 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
} as const;
type Unit = keyof typeof UNIT_MS;
const ORDER: readonly Unit[] = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/**
 * One `<number><unit>` part, matched at a fixed position (sticky): no nested quantifiers, and
 * each part is read once, so a string is scanned in linear time.
 */
const PART = /(\d+\.\d+|\d+)(ms|[ywdhms])/y;
/** Far longer than any real duration; bounds the work on a hostile value. */
const MAX_LENGTH = 64;

export const DURATION_EXAMPLES = 'examples: 500ms, 90s, 5m, 1h30m, 1d, 1w';

export type DurationResult = { ok: true; ms: number } | { ok: false; reason: string };

export function parseDuration(text: string): DurationResult {
  if (text === '0') return { ok: true, ms: 0 };
  if (text === '') return { ok: false, reason: 'is empty' };
  if (text.length > MAX_LENGTH) return { ok: false, reason: `is longer than ${MAX_LENGTH} characters` };
  let ms = 0;
  let parts = 0;
  let last = -1;
  let decimal = false;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const m = PART.exec(text);
    if (!m) return { ok: false, reason: `has no number and unit (ms, s, m, h, d, w, y) at character ${at + 1}` };
    const [, number = '', unit = 's'] = m;
    const rank = ORDER.indexOf(unit as Unit);
    if (rank === last) return { ok: false, reason: `repeats the unit ${unit}` };
    if (rank < last) return { ok: false, reason: 'must give its units from the largest to the smallest' };
    last = rank;
    parts += 1;
    decimal ||= number.includes('.');
    ms += Number(number) * UNIT_MS[unit as Unit];
  }
  if (decimal && parts > 1) return { ok: false, reason: 'may use a decimal only with a single unit (1.5s)' };
  if (!Number.isFinite(ms) || ms > Number.MAX_SAFE_INTEGER) return { ok: false, reason: 'is too long' };
  return { ok: true, ms };
}
