import { describe, expect, it } from 'vitest';
import { peekTopLevelStrings } from '../../../src/server/peek-fields.js';

const KEYS = ['receiver', 'groupKey'];

describe('peekTopLevelStrings', () => {
  it('reads top-level strings from a body cut off mid-way', () => {
    const body = JSON.stringify({
      version: '4',
      groupKey: '{}:{alertname="Disk \\"full\\""}',
      status: 'firing',
      receiver: 'team-ops',
      alerts: [{ labels: { x: 'y'.repeat(100) } }],
    });
    expect(peekTopLevelStrings(body.slice(0, body.length - 60), KEYS)).toEqual({
      groupKey: '{}:{alertname="Disk \\"full\\""}',
      receiver: 'team-ops',
    });
  });

  it('ignores the same keys nested deeper, and keys written inside string values', () => {
    const body =
      '{"commonLabels":{"receiver":"nested"},"note":"\\"receiver\\":\\"fake\\"","alerts":[{"groupKey":"no"}]';
    expect(peekTopLevelStrings(body, KEYS)).toEqual({});
    expect(peekTopLevelStrings(`${body},"receiver":"real"`, KEYS)).toEqual({ receiver: 'real' });
  });

  it('skips a value that runs past the prefix, non-string values, and text that is not JSON', () => {
    expect(peekTopLevelStrings('{"receiver":"cut off her', KEYS)).toEqual({});
    expect(peekTopLevelStrings('{"receiver":42,"groupKey":null}', KEYS)).toEqual({});
    expect(peekTopLevelStrings('\u001f\u008b binary gzip', KEYS)).toEqual({});
  });

  it('bounds the length of what it returns', () => {
    expect(peekTopLevelStrings(`{"receiver":"${'r'.repeat(1000)}"}`, KEYS, 10)).toEqual({ receiver: 'r'.repeat(10) });
  });

  it('takes linear time on hostile prefixes (> 1 s means broken)', () => {
    const hostile = [
      '{' + '"a":['.repeat(200_000),
      '{"receiver":"' + '\\'.repeat(400_001),
      '{' + '"k":"v",'.repeat(100_000),
      '"'.repeat(400_000),
    ];
    const start = performance.now();
    for (const text of hostile) peekTopLevelStrings(text, KEYS);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
