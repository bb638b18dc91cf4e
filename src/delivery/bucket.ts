import type { RateLimitInfo } from '../discord/rate-limit-headers.js';

/**
 * What Discord told us about one webhook's budget. We wait before sending when the budget
 * is spent, so 429s stay rare: Discord bans IPs that collect too many.
 */
export class WebhookBucket {
  #remaining = 1;
  #resetAt = 0;
  #limit: number | undefined;

  /** Milliseconds to wait before the next request may go, 0 if it may go now. */
  waitMs(now: number): number {
    if (now >= this.#resetAt) return 0;
    return this.#remaining > 0 ? 0 : this.#resetAt - now;
  }

  /** Counts a request as it leaves, so concurrent sends cannot overspend. */
  take(now: number): void {
    if (now >= this.#resetAt && this.#limit !== undefined) {
      // A new window we have not heard about yet: assume the last known limit.
      this.#remaining = this.#limit;
    }
    this.#remaining = Math.max(0, this.#remaining - 1);
  }

  learn(info: RateLimitInfo, now: number): void {
    if (info.limit !== undefined) this.#limit = info.limit;
    if (info.remaining !== undefined) this.#remaining = info.remaining;
    if (info.resetAfterMs !== undefined) this.#resetAt = now + info.resetAfterMs;
  }

  /** A 429's retry_after overrides whatever the headers said. */
  blockFor(ms: number, now: number): void {
    this.#remaining = 0;
    this.#resetAt = Math.max(this.#resetAt, now + ms);
  }

  snapshot(now: number): { remaining: number; limit: number | undefined; resetInMs: number } {
    return { remaining: this.#remaining, limit: this.#limit, resetInMs: Math.max(0, this.#resetAt - now) };
  }
}
