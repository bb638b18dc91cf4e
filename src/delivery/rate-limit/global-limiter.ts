import { SlidingLog, type LogEntry } from './sliding-log.js';

/** Discord's global ceiling (50 requests/s per IP for webhooks), across every webhook. */
export class GlobalLimiter {
  readonly #log = new SlidingLog(1000);
  #blockedUntil = 0;

  constructor(private readonly perSecond: number) {}

  waitMs(now: number): number {
    if (now < this.#blockedUntil) return this.#blockedUntil - now;
    return this.#log.waitMs(this.perSecond, now);
  }

  take(now: number): LogEntry {
    return this.#log.record(now);
  }

  settle(entry: LogEntry, now: number): void {
    this.#log.move(entry, now);
  }

  /** A global-scope 429. */
  blockFor(ms: number, now: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, now + ms);
  }
}
