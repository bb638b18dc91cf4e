import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { matchersSchema, parseMatchers } from '../../../src/alertmanager/matcher.js';
import { findAmtoolBinary } from '../../support/alertmanager.js';
import { INVALID_MATCHERS, MATCH_CASES } from './matcher-cases.js';

const matches = (matcher: string, labels: Record<string, string>) => {
  const parsed = parseMatchers(matcher);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.matchers.every((m) => m.matches(labels));
};

describe('label matchers', () => {
  it.each(MATCH_CASES)('$matcher with $labels → $matches', ({ matcher, labels, matches: expected }) => {
    expect(matches(matcher, labels)).toBe(expected);
  });

  it.each(INVALID_MATCHERS)('refuses $matcher', ({ matcher, reason }) => {
    const parsed = parseMatchers(matcher);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('prints matchers in Alertmanager notation', () => {
    const parsed = parseMatchers('{msg = "say \\"hi\\"\\n", severity=~critical|warning}');
    expect(parsed.ok && parsed.matchers.map(String)).toEqual(['msg="say \\"hi\\"\\n"', 'severity=~"critical|warning"']);
  });

  it('an empty brace pair is no matchers (matches everything)', () => {
    expect(parseMatchers('{}')).toMatchObject({ ok: true, matchers: [] });
  });

  it('a bad regex in the config names its index and the reason', () => {
    const parsed = matchersSchema.safeParse(['service="a"', 'env=~"(prod|staging)?-eu"', 'team=~"(a|b"']);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([
      { path: [2], message: 'invalid regular expression "(a|b": missing closing )' },
    ]);
  });
});

/**
 * Patterns that make a backtracking engine take quadratic or exponential time, against 1 MB
 * label values built to pass any literal prefilter and fail only at the end. A linear engine
 * needs milliseconds; the guard only catches the broken case (seconds to forever).
 */
describe('regex matching is linear in the label value', () => {
  const MB = 1 << 20;
  it.each([
    { matcher: 'msg=~"(a+)+b"', value: 'a'.repeat(MB) + 'bc' },
    { matcher: 'msg=~".*foo.*bar"', value: 'bar' + 'foo'.repeat(Math.ceil(MB / 3)) },
    { matcher: 'msg!~"(?s)(.*a){20}b"', value: 'b' + 'a'.repeat(MB) },
  ])('$matcher against 1 MB', ({ matcher, value }) => {
    const parsed = parseMatchers(matcher);
    if (!parsed.ok) throw new Error(parsed.reason);
    const started = performance.now();
    const result = parsed.matchers[0]!.matches({ msg: value });
    const elapsed = performance.now() - started;
    expect(result).toBe(matcher.includes('!~'));
    expect(elapsed).toBeLessThan(1000);
  });
});

const amtool = findAmtoolBinary();
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';
const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** Asks Alertmanager itself: one routing tree per row, `amtool config routes test` with the labels. */
describe.skipIf(!amtool && !inCI)('the table agrees with Alertmanager (amtool)', () => {
  if (!amtool) {
    it('finds amtool (required when CI is set)', () => {
      expect.fail('amtool not found: install the Debian package prometheus-alertmanager or set AMTOOL_BIN');
    });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'alertcord-amtool-'));
  const run = (args: string[]) => spawnSync(amtool, args, { encoding: 'utf8' });
  const configFor = (matcher: string, i: number) => {
    const file = join(dir, `am-${i}.yml`);
    writeFileSync(
      file,
      stringify({
        route: { receiver: 'nomatch', routes: [{ receiver: 'match', matchers: [matcher] }] },
        receivers: [{ name: 'nomatch' }, { name: 'match' }],
      }),
    );
    return file;
  };

  it.each(MATCH_CASES.map((c, i) => ({ ...c, i })))(
    '$matcher with $labels',
    ({ matcher, labels, matches: expected, i }) => {
      const file = configFor(matcher, i);
      const args = Object.entries(labels).map(([k, v]) => `${k}=${quote(v)}`);
      const out = run(['config', 'routes', 'test', `--config.file=${file}`, ...args]);
      expect(out.stdout.trim()).toBe(expected ? 'match' : 'nomatch');
    },
  );

  it.each(INVALID_MATCHERS.map((c, i) => ({ ...c, i })))('Alertmanager refuses $matcher too', ({ matcher, i }) => {
    const out = run(['check-config', configFor(matcher, 1000 + i)]);
    expect(out.status).not.toBe(0);
  });
});
