import { z } from 'zod';

/**
 * Business hours: weekdays and times of day in an IANA time zone (resolved by Intl, so DST
 * moves the window with the wall clock). Weekday and time syntax follow Alertmanager's
 * time_intervals: `monday:friday`, `start_time: "09:00"`, `end_time: "17:00"` (end exclusive,
 * `24:00` allowed).
 */
export const OUTSIDE_ACTIONS = ['drop', 'hold', 'deliver-silent'] as const;
export type OutsideAction = (typeof OUTSIDE_ACTIONS)[number];

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_MS = 86_400_000;

function parseWeekdays(spec: string): number[] | undefined {
  const [from = '', to = from] = spec.toLowerCase().trim().split(':');
  const a = WEEKDAYS.indexOf(from.trim());
  const b = WEEKDAYS.indexOf(to.trim());
  if (a < 0 || b < 0) return undefined;
  const days = [a];
  // A range wraps past Saturday: friday:monday is Friday to Monday.
  for (let d = a; d !== b; d = (d + 1) % 7) days.push((d + 1) % 7);
  return days;
}

const clockTime = (max: number) =>
  z
    .string()
    .regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be HH:MM (00:00 to 24:00)')
    .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3)))
    .refine((m) => m <= max, {
      message: `must be at most ${Math.floor(max / 60)}:${String(max % 60).padStart(2, '0')}`,
    });

const timeRangeSchema = z
  .strictObject({ start_time: clockTime(23 * 60 + 59), end_time: clockTime(24 * 60) })
  .refine((t) => t.start_time < t.end_time, { message: 'start_time must be before end_time', path: ['end_time'] });

export function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const activeHoursSchema = z
  .strictObject({
    time_zone: z
      .string()
      .default('UTC')
      .refine(isKnownTimeZone, { message: 'unknown time zone (use an IANA name such as Europe/Berlin)' }),
    weekdays: z
      .array(
        z.string().transform((s, ctx) => {
          const days = parseWeekdays(s);
          if (!days) ctx.addIssue({ code: 'custom', message: `"${s}" is not a weekday or range like monday:friday` });
          return days ?? [];
        }),
      )
      .min(1)
      .optional(),
    times: z.array(timeRangeSchema).min(1).optional(),
    outside: z.enum(OUTSIDE_ACTIONS),
    /** Severities delivered normally at any hour, e.g. [critical]. */
    exempt_severities: z.array(z.string()).default([]),
  })
  .transform(
    (spec) => new ActiveHours(spec.time_zone, spec.weekdays?.flat(), spec.times, spec.outside, spec.exempt_severities),
  );

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

interface Wall {
  /** Midnight of the local date, as if the local date were UTC: for date arithmetic. */
  date: number;
  minutes: number;
  /** Local wall time minus UTC, in ms. */
  offset: number;
}

function wallClock(t: number, tz: string): Wall {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(t)) p[part.type] = Number(part.value);
  const date = Date.UTC(p.year!, p.month! - 1, p.day!);
  const local = date + (p.hour! * 60 + p.minute!) * 60_000 + p.second! * 1000;
  return { date, minutes: p.hour! * 60 + p.minute!, offset: local - (t - (((t % 1000) + 1000) % 1000)) };
}

export class ActiveHours {
  readonly #days: Set<number> | undefined;
  readonly #times: { start_time: number; end_time: number }[] | undefined;
  readonly exempt: ReadonlySet<string>;

  constructor(
    readonly timeZone: string,
    weekdays: number[] | undefined,
    times: { start_time: number; end_time: number }[] | undefined,
    readonly outside: OutsideAction,
    exempt: string[],
  ) {
    this.#days = weekdays ? new Set(weekdays) : undefined;
    this.#times = times;
    this.exempt = new Set(exempt.map((s) => s.toLowerCase()));
  }

  isExempt(severity: string | undefined): boolean {
    return this.exempt.has((severity ?? '').toLowerCase());
  }

  isActive(t: number): boolean {
    const wall = wallClock(t, this.timeZone);
    const day = new Date(wall.date).getUTCDay();
    if (this.#days && !this.#days.has(day)) return false;
    if (!this.#times) return true;
    return this.#times.some((r) => wall.minutes >= r.start_time && wall.minutes < r.end_time);
  }

  /** The first instant at or after `t` inside the window (within the coming eight days). */
  nextStart(t: number): number | undefined {
    if (this.isActive(t)) return t;
    const today = wallClock(t, this.timeZone).date;
    const starts = this.#times?.map((r) => r.start_time) ?? [0];
    let best: number | undefined;
    for (let d = 0; d <= 8 && best === undefined; d++) {
      const date = today + d * DAY_MS;
      if (this.#days && !this.#days.has(new Date(date).getUTCDay())) continue;
      for (const start of starts) {
        const at = this.#firstActiveFrom(this.#instantOf(date + start * 60_000), t);
        if (at !== undefined && (best === undefined || at < best)) best = at;
      }
    }
    return best;
  }

  /** The earliest UTC instant showing this wall time; in a DST gap, a time near it. */
  #instantOf(local: number): number {
    const first = local - wallClock(local, this.timeZone).offset;
    const second = local - wallClock(first, this.timeZone).offset;
    return Math.min(first, second);
  }

  /** A start may fall into a DST gap (02:30 that never happens): walk on to the first active minute. */
  #firstActiveFrom(candidate: number, after: number): number | undefined {
    for (let m = 0; m <= 180; m++) {
      const at = candidate + m * 60_000;
      if (at > after && this.isActive(at)) return at;
    }
    return undefined;
  }
}
