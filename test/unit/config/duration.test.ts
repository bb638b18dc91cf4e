import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load.js';
import { durationSchema } from '../../../src/config/units.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('durations, read as Prometheus reads them', () => {
  it.each<[string | number, number]>([
    ['500ms', 500],
    ['90s', 90 * S],
    ['5m', 5 * M],
    ['1h30m', H + 30 * M],
    ['1h30m15s500ms', H + 30 * M + 15 * S + 500],
    ['1d', D],
    ['1w', 7 * D],
    ['1y', 365 * D],
    ['2w3d', 17 * D],
    ['1m5s', M + 5 * S],
    ['0', 0],
    ['0s', 0],
    // Read so before; Prometheus itself takes integers only.
    ['1.5s', 1500],
    ['0.5h', 30 * M],
    [30, 30 * S],
    [0.25, 250],
  ])('%s → %d ms', (input, ms) => {
    expect(durationSchema.parse(input)).toBe(ms);
  });

  it.each<[string, RegExp]>([
    ['', /is empty/],
    ['forever', /no number and unit .* at character 1/],
    ['30', /no number and unit/],
    ['1h1h', /repeats the unit h/],
    ['30m1h', /from the largest to the smallest/],
    ['5ms1s', /from the largest to the smallest/],
    ['1h 30m', /at character 3/],
    ['1.5h30m', /decimal only with a single unit/],
    ['-5s', /no number and unit/],
    ['5S', /no number and unit/],
    [`${'9'.repeat(40)}y`, /too long/],
    ['1'.repeat(100), /longer than 64 characters/],
  ])('refuses %j', (input, reason) => {
    const r = durationSchema.safeParse(input);
    expect(r.success).toBe(false);
    const message = r.error?.issues[0]?.message ?? '';
    expect(message).toMatch(reason);
    expect(message).toContain('examples: 500ms, 90s, 5m, 1h30m, 1d, 1w');
  });

  it('a refused duration names its field', () => {
    const r = resolveConfig(
      { dedup: { window: '1h1h' }, targets: { a: { dry_run: true } }, routes: [{ targets: ['a'] }] },
      {},
      't',
    );
    expect(r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'dedup.window: "1h1h" is not a duration: it repeats the unit h (examples: 500ms, 90s, 5m, 1h30m, 1d, 1w)',
    ]);
  });

  it('reads a hostile value in linear time', () => {
    const started = performance.now();
    for (let i = 0; i < 1000; i++) durationSchema.safeParse(`${'1'.repeat(63)}x`);
    durationSchema.safeParse('1s'.repeat(100_000));
    // A generous guard: backtracking would take minutes, not a second.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
