import { describe, expect, it } from 'vitest';
import { activeHoursSchema } from '../../../src/alertmanager/active-hours.js';

const hours = (spec: Record<string, unknown>) => activeHoursSchema.parse({ outside: 'hold', ...spec });
const at = (iso: string) => Date.parse(iso);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

const businessLA = hours({
  time_zone: 'America/Los_Angeles',
  weekdays: ['monday:friday'],
  times: [{ start_time: '09:00', end_time: '17:00' }],
});

describe('active hours', () => {
  it.each([
    ['2026-03-02T17:00:00Z', true], // Monday 09:00 PST
    ['2026-03-02T16:59:59Z', false], // Monday 08:59 PST
    ['2026-03-03T00:59:00Z', true], // Monday 16:59 PST
    ['2026-03-03T01:00:00Z', false], // Monday 17:00 PST: the end is exclusive
    ['2026-03-09T16:00:00Z', true], // Monday after spring-forward: 09:00 PDT
    ['2026-03-09T15:30:00Z', false], // 08:30 PDT
    ['2026-03-07T18:00:00Z', false], // Saturday 10:00 PST
    ['2026-11-02T17:00:00Z', true], // Monday after fall-back: 09:00 PST
    ['2026-11-02T16:30:00Z', false], // 08:30 PST
  ])('America/Los_Angeles Mon–Fri 09–17 at %s → %s', (when, expected) => {
    expect(businessLA.isActive(at(when))).toBe(expected);
  });

  it('finds the next opening across a weekend and a DST change', () => {
    // Friday 18:00 PST → Monday 09:00 PDT (16:00Z, one hour earlier in UTC than the week before)
    expect(iso(businessLA.nextStart(at('2026-03-07T02:00:00Z')))).toBe('2026-03-09T16:00:00.000Z');
    expect(iso(businessLA.nextStart(at('2026-02-28T02:00:00Z')))).toBe('2026-03-02T17:00:00.000Z');
    // Friday after fall-back → Monday 09:00 PST
    expect(iso(businessLA.nextStart(at('2026-10-31T02:00:00Z')))).toBe('2026-11-02T17:00:00.000Z');
    // inside the window: now
    expect(businessLA.nextStart(at('2026-03-04T20:00:00Z'))).toBe(at('2026-03-04T20:00:00Z'));
  });

  it('a start inside the spring-forward gap opens when the clock reaches the window', () => {
    const early = hours({ time_zone: 'America/Los_Angeles', times: [{ start_time: '02:30', end_time: '05:00' }] });
    // 2026-03-08 01:00 PST; 02:30 never happens that night, 03:00 PDT is inside 02:30–05:00
    expect(iso(early.nextStart(at('2026-03-08T09:00:00Z')))).toBe('2026-03-08T10:00:00.000Z');
    // on the fall-back night 02:30 happens once (after 01:00–01:59 twice)
    expect(iso(early.nextStart(at('2026-11-01T07:00:00Z')))).toBe('2026-11-01T10:30:00.000Z');
  });

  it('handles half-hour offsets, several ranges and weekday ranges that wrap', () => {
    const india = hours({
      time_zone: 'Asia/Kolkata',
      times: [
        { start_time: '09:30', end_time: '12:00' },
        { start_time: '13:00', end_time: '18:00' },
      ],
    });
    expect(india.isActive(at('2026-06-01T04:00:00Z'))).toBe(true); // 09:30 IST
    expect(india.isActive(at('2026-06-01T06:45:00Z'))).toBe(false); // 12:15 IST
    expect(iso(india.nextStart(at('2026-06-01T06:45:00Z')))).toBe('2026-06-01T07:30:00.000Z'); // 13:00 IST

    const weekend = hours({ time_zone: 'Europe/Berlin', weekdays: ['friday:monday'] });
    expect(weekend.isActive(at('2026-06-07T12:00:00Z'))).toBe(true); // Sunday
    expect(weekend.isActive(at('2026-06-09T12:00:00Z'))).toBe(false); // Tuesday
    // Thursday 23:30 UTC is already Friday 01:30 in Berlin (CEST)
    expect(weekend.isActive(at('2026-06-11T23:30:00Z'))).toBe(true);
    expect(iso(weekend.nextStart(at('2026-06-09T12:00:00Z')))).toBe('2026-06-11T22:00:00.000Z');

    const late = hours({ times: [{ start_time: '22:00', end_time: '24:00' }] });
    expect(late.isActive(at('2026-06-01T23:59:00Z'))).toBe(true);
    expect(late.isActive(at('2026-06-02T00:00:00Z'))).toBe(false);
  });

  it('exempts severities case-insensitively', () => {
    const h = hours({ exempt_severities: ['critical'] });
    expect(h.isExempt('Critical')).toBe(true);
    expect(h.isExempt('warning')).toBe(false);
    expect(h.isExempt(undefined)).toBe(false);
  });

  it.each([
    [{ time_zone: 'Mars/Olympus_Mons' }, 'time_zone', /unknown time zone/],
    [{ weekdays: ['mondays'] }, 'weekdays.0', /not a weekday/],
    [{ times: [{ start_time: '9:00', end_time: '17:00' }] }, 'times.0.start_time', /HH:MM/],
    [{ times: [{ start_time: '17:00', end_time: '09:00' }] }, 'times.0.end_time', /before end_time/],
    [{ times: [{ start_time: '10:00', end_time: '24:30' }] }, 'times.0.end_time', /at most 24:00/],
    [{ outside: 'snooze' }, 'outside', /drop|hold/],
  ])('refuses %j', (spec, path, message) => {
    const r = activeHoursSchema.safeParse({ outside: 'hold', ...spec });
    expect(r.success).toBe(false);
    const issue = r.error?.issues.find((i) => i.path.join('.') === path);
    expect(issue?.message).toMatch(message);
  });
});
