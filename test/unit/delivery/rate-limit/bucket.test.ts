import { describe, expect, it } from 'vitest';
import { WebhookBucket } from '../../../../src/delivery/rate-limit/bucket.js';

describe('WebhookBucket', () => {
  it('sends one request before it knows anything, then learns the budget from the headers', () => {
    const b = new WebhookBucket();
    expect(b.waitMs(0)).toBe(0);
    const first = b.take(0);
    expect(b.waitMs(0)).toBe(Infinity);
    b.settle(first, { limit: 5, remaining: 4, resetAfterMs: 2000 }, 0);
    for (let i = 0; i < 4; i++) {
      expect(b.waitMs(10)).toBe(0);
      b.take(10);
    }
    // Four on their way and none left: wait for the window, not for a 429.
    expect(b.waitMs(10)).toBe(1990);
    expect(b.waitMs(2000)).toBe(0);
  });

  it('takes the lowest remaining of answers arriving out of order within one window', () => {
    const b = new WebhookBucket();
    const e1 = b.take(0);
    const e2 = b.take(0);
    b.settle(e2, { limit: 5, remaining: 0, resetAfterMs: 2000 }, 5);
    b.settle(e1, { limit: 5, remaining: 1, resetAfterMs: 1990 }, 15);
    expect(b.waitMs(20)).toBe(1985);
  });

  it("a new window's headers replace the old ones", () => {
    const b = new WebhookBucket();
    b.settle(b.take(0), { limit: 5, remaining: 0, resetAfterMs: 2000 }, 0);
    b.settle(b.take(2000), { limit: 5, remaining: 4, resetAfterMs: 2000 }, 2000);
    expect(b.waitMs(2001)).toBe(0);
  });

  it("a 429's retry_after overrides the headers", () => {
    const b = new WebhookBucket();
    b.learn({ limit: 5, remaining: 3, resetAfterMs: 100 }, 0);
    b.blockFor(40_000, 0);
    expect(b.waitMs(1000)).toBe(39_000);
    expect(b.waitMs(40_000)).toBe(0);
  });

  it('with replicas, keeps its own requests within its share of the limit', () => {
    const b = new WebhookBucket(2);
    b.settle(b.take(0), { limit: 5, remaining: 4, resetAfterMs: 2000 }, 0);
    b.settle(b.take(1), { limit: 5, remaining: 3, resetAfterMs: 1999 }, 1);
    // floor(5 / 2) = 2 per window, though Discord says 3 remain (the other replica's).
    expect(b.waitMs(2)).toBe(1998);
    expect(b.waitMs(1999)).toBe(1);
    expect(b.waitMs(2000)).toBe(0);
  });
});
