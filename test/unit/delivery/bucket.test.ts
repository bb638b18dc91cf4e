import { describe, expect, it } from 'vitest';
import { backoffDelay, retryDelay } from '../../../src/delivery/backoff.js';
import { WebhookBucket } from '../../../src/delivery/bucket.js';

describe('WebhookBucket', () => {
  it('lets requests go while the budget lasts, then waits for the reset', () => {
    const b = new WebhookBucket();
    expect(b.waitMs(0)).toBe(0);
    b.take(0);
    b.learn({ limit: 5, remaining: 1, resetAfterMs: 2000 }, 0);
    expect(b.waitMs(10)).toBe(0);
    b.take(10);
    expect(b.waitMs(10)).toBe(1990);
    expect(b.waitMs(2000)).toBe(0);
  });

  it('counts requests in flight so concurrent sends cannot overspend', () => {
    const b = new WebhookBucket();
    b.learn({ limit: 2, remaining: 2, resetAfterMs: 1000 }, 0);
    b.take(0);
    b.take(0);
    expect(b.waitMs(0)).toBe(1000);
  });

  it('a 429 retry_after overrides the headers', () => {
    const b = new WebhookBucket();
    b.learn({ limit: 5, remaining: 3, resetAfterMs: 100 }, 0);
    b.blockFor(40_000, 0);
    expect(b.waitMs(1000)).toBe(39_000);
  });
});

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
