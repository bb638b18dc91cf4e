import { describe, expect, it } from 'vitest';
import { MB, pathologicalCorpus } from './pathological.js';
import { runIsolated, type IsolatedResult } from './run-isolated.js';

/** Far above what a linear render takes on a loaded machine; what quadratic text takes is minutes. */
const BLOCKED_MS = 1000;
const MATCHER_CASE = 'label vs (a+)+b, .*foo.*bar';
const LARGE_GROUP = '5000 alerts';

const worst = (r: IsolatedResult): number =>
  'killedAfterMs' in r ? Infinity : Math.max(r.histogramMaxMs, r.probeMaxMs);

async function run(names: string[]): Promise<IsolatedResult[]> {
  // Half-size bodies keep the suite short; the quadratic cases still block for minutes at that size.
  return runIsolated(names, { bytes: MB / 2, capMs: 1500, killAfterMs: 15_000 });
}

/**
 * The corpus of `npm run bench:hostile`, each case posted to a fresh service that renders it
 * and delivers it to the Discord emulator: no case may hold the event loop for a second.
 */
describe('pathological text never blocks the event loop', () => {
  const names = pathologicalCorpus(MB / 2)
    .map((c) => c.name)
    .filter((n) => n !== MATCHER_CASE && n !== LARGE_GROUP);

  it('renders and delivers every case without blocking', { timeout: 120_000 }, async () => {
    const results = await run(names);
    const blocked = results.filter((r) => worst(r) > BLOCKED_MS).map((r) => `${r.name}: ${worst(r)} ms`);
    expect(blocked).toEqual([]);
    for (const r of results) {
      if ('killedAfterMs' in r) continue;
      expect(r.status, r.name).toBe(200);
      expect(r.delivered, r.name).toBeGreaterThan(0);
    }
  });

  // Rendered a page per send: it blocked for seconds while every part of the job (500 rich
  // messages) was rendered when the first one went out.
  it('renders a 5,000-alert group without blocking', { timeout: 60_000 }, async () => {
    const [r] = await run([LARGE_GROUP]);
    expect(r && worst(r)).toBeLessThanOrEqual(BLOCKED_MS);
  });

  // Matchers run on a linear-time regex engine: JavaScript's backtracks on `.*foo.*bar` for minutes.
  it('routes a long label value through regex matchers without blocking', { timeout: 60_000 }, async () => {
    const [r] = await run([MATCHER_CASE]);
    expect(r && worst(r)).toBeLessThanOrEqual(BLOCKED_MS);
  });
});
