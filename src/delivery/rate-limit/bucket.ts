import type { RateLimitInfo } from '../../discord/rate-limit-headers.js';
import { SlidingLog, type LogEntry } from './sliding-log.js';

/** Two answers whose reset times are this close describe the same window. */
const SAME_WINDOW_SLACK_MS = 250;

/**
 * What Discord's headers said about one rate-limit bucket (one webhook, or several sharing an
 * `X-RateLimit-Bucket` hash). We wait *before* sending when the budget is spent, so 429s stay
 * rare: Discord bans IPs that collect too many.
 *
 * With `replicas` > 1 every replica sends to the same bucket, so each keeps its own requests
 * within 1/replicas of the limit per window; Discord's `Remaining` (everyone's) still applies.
 */
export class WebhookBucket {
  #limit: number | undefined;
  /** Before the first answer we know nothing: one request at a time until we learn. */
  #remaining = 1;
  #resetAt = 0;
  #blockedUntil = 0;
  #inFlight = 0;
  readonly #own = new SlidingLog(0);

  constructor(private readonly replicas = 1) {}

  /** Milliseconds until the next request may go: 0 now, Infinity until an answer arrives. */
  waitMs(now: number): number {
    if (now < this.#blockedUntil) return this.#blockedUntil - now;
    const windowOpen = now < this.#resetAt;
    const available = (windowOpen ? this.#remaining : (this.#limit ?? 1)) - this.#inFlight;
    if (available <= 0) return windowOpen ? this.#resetAt - now : Infinity;
    if (this.#limit !== undefined && this.replicas > 1) {
      return this.#own.waitMs(Math.max(1, Math.floor(this.#limit / this.replicas)), now);
    }
    return 0;
  }

  /** Counts a request as it leaves, so concurrent sends cannot overspend. */
  take(now: number): LogEntry {
    this.#inFlight += 1;
    return this.#own.record(now);
  }

  /** The answer to a request from `take` arrived, with what its headers said. */
  settle(entry: LogEntry, info: RateLimitInfo, now: number): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#own.move(entry, now);
    this.learn(info, now);
  }

  learn(info: RateLimitInfo, now: number): void {
    if (info.limit !== undefined) this.#limit = info.limit;
    if (info.resetAfterMs === undefined) {
      if (info.remaining !== undefined) this.#remaining = info.remaining;
      return;
    }
    const resetAt = now + info.resetAfterMs;
    this.#own.windowMs = Math.max(this.#own.windowMs, info.resetAfterMs);
    const sameWindow = now < this.#resetAt && resetAt <= this.#resetAt + SAME_WINDOW_SLACK_MS;
    if (sameWindow) {
      // Answers can arrive out of order: the lowest count left is the true one.
      if (info.remaining !== undefined) this.#remaining = Math.min(this.#remaining, info.remaining);
      this.#resetAt = Math.max(this.#resetAt, resetAt);
    } else {
      if (info.remaining !== undefined) this.#remaining = info.remaining;
      this.#resetAt = resetAt;
    }
  }

  /** A 429's retry_after overrides whatever the headers said. */
  /** What the status page shows. */
  snapshot(now: number): { remaining: number; limit: number | undefined; resetInMs: number } {
    const resetAt = Math.max(this.#resetAt, this.#blockedUntil);
    return { remaining: this.#remaining, limit: this.#limit, resetInMs: Math.max(0, resetAt - now) };
  }

  blockFor(ms: number, now: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, now + ms);
  }

  /** Takes over another bucket's state: two webhooks turned out to share one budget. */
  absorb(other: WebhookBucket): void {
    this.#limit ??= other.#limit;
    this.#inFlight += other.#inFlight;
    this.#blockedUntil = Math.max(this.#blockedUntil, other.#blockedUntil);
    // Until the next answer tells, assume the tighter of the two.
    this.#remaining = Math.min(this.#remaining, other.#remaining);
    this.#resetAt = Math.max(this.#resetAt, other.#resetAt);
    this.#own.windowMs = Math.max(this.#own.windowMs, other.#own.windowMs);
    this.#own.absorb(other.#own);
  }
}
