import { SlidingLog, type LogEntry } from './sliding-log.js';

export interface ChannelPolicy {
  /** Messages per window Discord allows in one channel (its hidden limit). */
  limit: number;
  windowMs: number;
  /** Messages of every window kept for critical alerts. */
  criticalReserve: number;
}

/**
 * What another process needs to rebuild a channel window. Times are epoch ms of the clock, so
 * they mean the same in the process that took them and in the one that takes over.
 */
export interface ChannelWindowSnapshot {
  /** When the messages still inside the window were sent, oldest first; at most the limit of them. */
  sent: number[];
  blockedUntil: number;
  learned: { limit: number; until: number } | undefined;
}

/** A learned ceiling lasts this many windows, then the configured limit is tried again. */
const LEARNED_CEILING_WINDOWS = 10;

/**
 * The hidden per-channel limit (observed ~30 messages / 60 s, never shown in headers), shared
 * by every webhook posting to the channel.
 *
 * The critical reserve: a backlog of less urgent messages must never fill the window so that
 * a critical alert waits for it to roll over. A non-critical message may only be sent if,
 * afterwards, the reserve's slots are free or free up within the time the channel takes to free
 * one slot at its full rate (window / limit: 2 s for 30 / 60 s). A critical message always
 * finds its slot that soon; the price, while a backlog drains, is up to `criticalReserve`
 * messages per window.
 */
export class ChannelWindow {
  readonly #log: SlidingLog;
  #blockedUntil = 0;
  #learned: { limit: number; until: number } | undefined;

  constructor(private readonly policy: ChannelPolicy) {
    this.#log = new SlidingLog(policy.windowMs);
  }

  limit(now: number): number {
    const learned = this.#learned && now < this.#learned.until ? this.#learned.limit : Infinity;
    return Math.min(this.policy.limit, learned);
  }

  /** Milliseconds until the channel could have taken `messages` more, counting what it took lately. */
  drainMs(messages: number, now: number): number {
    if (messages <= 0) return 0;
    const limit = this.limit(now);
    const fullWindows = Math.floor((messages - 1) / limit);
    const rest = messages - fullWindows * limit;
    return fullWindows * this.policy.windowMs + this.#log.waitMs(limit - rest + 1, now);
  }

  waitMs(now: number, critical: boolean): number {
    if (now < this.#blockedUntil) return this.#blockedUntil - now;
    const limit = this.limit(now);
    const hard = this.#log.waitMs(limit, now);
    const reserve = Math.min(this.policy.criticalReserve, limit - 1);
    if (critical || reserve <= 0) return hard;
    // The time the channel takes to free one slot at its full rate.
    const horizon = this.policy.windowMs / limit;
    return Math.max(hard, this.#log.waitMs(limit - reserve, now, this.policy.windowMs - horizon));
  }

  take(now: number): LogEntry {
    return this.#log.record(now);
  }

  settle(entry: LogEntry, now: number): void {
    this.#log.move(entry, now);
  }

  /** Discord refused the message (a 429 or an error): it created nothing in the channel. */
  release(entry: LogEntry): void {
    this.#log.remove(entry);
  }

  /**
   * A shared-scope 429: the channel's real limit is lower than we assumed, or someone else
   * posts there too. What we sent within the window is what it allows, for a while — but never
   * less than half the configured limit, so a stray 429 cannot throttle a channel to a trickle.
   */
  hitHiddenLimit(retryAfterMs: number, now: number): number {
    this.#blockedUntil = Math.max(this.#blockedUntil, now + retryAfterMs);
    const current = this.limit(now);
    const limit = Math.min(current, Math.max(this.#log.count(now), Math.ceil(this.policy.limit / 2)));
    this.#learned = { limit, until: now + LEARNED_CEILING_WINDOWS * this.policy.windowMs };
    return limit;
  }

  snapshot(now: number): ChannelWindowSnapshot {
    // Only the newest `limit` messages bear on any wait: older ones are covered by them.
    const sent = this.#log.times(now).slice(-this.policy.limit);
    const learned = this.#learned && now < this.#learned.until ? { ...this.#learned } : undefined;
    return { sent, blockedUntil: now < this.#blockedUntil ? this.#blockedUntil : 0, learned };
  }

  /** When nothing of this window matters any more: its last message has left, its block and ceiling ended. */
  relevantUntil(now: number): number {
    const last = this.#log.times(now).at(-1);
    const learnedUntil = this.#learned && now < this.#learned.until ? this.#learned.until : 0;
    return Math.max(last === undefined ? 0 : last + this.policy.windowMs, this.#blockedUntil, learnedUntil);
  }

  /**
   * Takes back what a snapshot holds that still matters at `now`; false when nothing did. A time
   * ahead of `now` (another machine's clock) counts as now; a ceiling never lasts longer, nor
   * allows more, than one learned here would.
   */
  restore(snapshot: ChannelWindowSnapshot, now: number): boolean {
    let kept = false;
    for (const at of snapshot.sent.slice(-this.policy.limit)) {
      if (at <= now - this.policy.windowMs) continue;
      this.#log.record(Math.min(at, now));
      kept = true;
    }
    if (now < snapshot.blockedUntil) {
      this.#blockedUntil = Math.max(this.#blockedUntil, snapshot.blockedUntil);
      kept = true;
    }
    const learned = snapshot.learned;
    if (learned && now < learned.until && learned.limit < this.limit(now)) {
      const until = Math.min(learned.until, now + LEARNED_CEILING_WINDOWS * this.policy.windowMs);
      this.#learned = { limit: Math.max(1, learned.limit), until };
      kept = true;
    }
    return kept;
  }

  absorb(other: ChannelWindow): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, other.#blockedUntil);
    if (other.#learned && (!this.#learned || other.#learned.limit < this.#learned.limit)) {
      this.#learned = other.#learned;
    }
    this.#log.absorb(other.#log);
  }
}
