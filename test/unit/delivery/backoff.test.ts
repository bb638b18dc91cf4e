import { describe, expect, it } from 'vitest';
import { backoffDelay, retryDelay } from '../../../src/delivery/backoff.js';

describe('backoff', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    const policy = { initialMs: 100, maxMs: 1000 };
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, () => 0.999)).toBe(399);
    expect(backoffDelay(policy, 10, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });

  it("never waits less than the server's Retry-After", () => {
    expect(retryDelay({ initialMs: 100, maxMs: 1000 }, 1, 5000, () => 0.5)).toBe(5000);
  });
});
