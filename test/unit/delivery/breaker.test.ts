import { describe, expect, it } from 'vitest';
import { Breaker, type BreakerState } from '../../../src/delivery/breaker.js';

function breaker() {
  const transitions: [BreakerState, BreakerState][] = [];
  const b = new Breaker({ threshold: 3, cooldownMs: 10_000 }, (from, to) => transitions.push([from, to]));
  return { b, transitions };
}

describe('Breaker', () => {
  it('opens after the threshold of consecutive failures, not before', () => {
    const { b, transitions } = breaker();
    b.failure(0);
    b.failure(1);
    expect(b.state(2)).toBe('closed');
    expect(b.waitMs(2)).toBe(0);
    b.failure(3);
    expect(b.state(4)).toBe('open');
    expect(b.waitMs(4)).toBe(9999);
    expect(transitions).toEqual([['closed', 'open']]);
  });

  it('a success in between resets the count', () => {
    const { b } = breaker();
    b.failure(0);
    b.failure(1);
    b.success();
    b.failure(2);
    b.failure(3);
    expect(b.state(4)).toBe('closed');
  });

  it('lets one probe through after the cool-down, and closes when it succeeds', () => {
    const { b, transitions } = breaker();
    for (let i = 0; i < 3; i++) b.failure(0);
    expect(b.state(10_000)).toBe('half_open');
    expect(b.onSend(10_000)).toBe(true);
    // Only one probe at a time.
    expect(b.waitMs(10_001)).toBe(Infinity);
    b.success();
    expect(b.state(10_002)).toBe('closed');
    expect(b.onSend(10_002)).toBe(false);
    expect(transitions).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'closed'],
    ]);
  });

  it('opens again for another cool-down when the probe fails', () => {
    const { b, transitions } = breaker();
    for (let i = 0; i < 3; i++) b.failure(0);
    b.onSend(10_000);
    b.failure(10_050);
    expect(b.state(10_051)).toBe('open');
    expect(b.waitMs(10_051)).toBe(9999);
    expect(transitions.at(-1)).toEqual(['half_open', 'open']);
  });

  it('a probe answered with a 429 says nothing: another probe may go', () => {
    const { b } = breaker();
    for (let i = 0; i < 3; i++) b.failure(0);
    b.onSend(10_000);
    b.neutral();
    expect(b.state(10_001)).toBe('half_open');
    expect(b.waitMs(10_001)).toBe(0);
  });
});
