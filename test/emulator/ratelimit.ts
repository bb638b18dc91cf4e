/**
 * The three limits a webhook client meets: the per-webhook bucket it can see in the headers,
 * the global limit, and the per-channel write limit that never shows in any header. Time
 * comes from the caller so tests can drive it.
 */
import type { WindowSpec } from './types.js';

export interface BucketState {
  limit: number;
  remaining: number;
  /** epoch ms when the window frees */
  resetAt: number;
  resetAfterMs: number;
}

/** A window that opens at the first request and closes `windowMs` later, like Discord's buckets. */
export class FixedWindow {
  private start = Number.NEGATIVE_INFINITY;
  private used = 0;

  constructor(private readonly spec: WindowSpec) {}

  private open(now: number): boolean {
    return now < this.start + this.spec.windowMs;
  }

  state(now: number): BucketState {
    const { limit, windowMs } = this.spec;
    if (!this.open(now)) return { limit, remaining: limit, resetAt: now + windowMs, resetAfterMs: windowMs };
    const resetAt = this.start + windowMs;
    return { limit, remaining: Math.max(0, limit - this.used), resetAt, resetAfterMs: resetAt - now };
  }

  /** Takes a slot; when none is left, returns the ms until the window frees (nothing taken). */
  take(now: number): number | undefined {
    if (!this.open(now)) {
      this.start = now;
      this.used = 0;
    }
    if (this.used >= this.spec.limit) return this.start + this.spec.windowMs - now;
    this.used++;
    return undefined;
  }
}

/** A sliding log of events: at most `limit` within any `windowMs`. */
export class SlidingLog {
  private times: number[] = [];

  constructor(private readonly spec: WindowSpec) {}

  /** ms until another event is allowed, or undefined if one is allowed now. */
  blockedFor(now: number): number | undefined {
    this.times = this.times.filter((t) => t > now - this.spec.windowMs);
    const oldest = this.times[0];
    if (this.times.length < this.spec.limit || oldest === undefined) return undefined;
    return oldest + this.spec.windowMs - now;
  }

  record(now: number): void {
    this.times.push(now);
  }
}

export interface LimitSpecs {
  webhook: WindowSpec;
  channel: WindowSpec | null;
  global: WindowSpec | null;
}

export class RateLimits {
  private global: FixedWindow | undefined;
  private readonly webhooks = new Map<string, FixedWindow>();
  private readonly channels = new Map<string, SlidingLog>();

  constructor(private readonly specs: LimitSpecs) {
    this.clear();
  }

  clear(): void {
    this.global = this.specs.global ? new FixedWindow(this.specs.global) : undefined;
    this.webhooks.clear();
    this.channels.clear();
  }

  takeGlobal(now: number): number | undefined {
    return this.global?.take(now);
  }

  private webhook(id: string): FixedWindow {
    let w = this.webhooks.get(id);
    if (!w) this.webhooks.set(id, (w = new FixedWindow(this.specs.webhook)));
    return w;
  }

  takeWebhook(id: string, now: number): number | undefined {
    return this.webhook(id).take(now);
  }

  webhookState(id: string, now: number): BucketState {
    return this.webhook(id).state(now);
  }

  /** ms until the channel accepts another message, or undefined. */
  channelBlockedFor(channelId: string, now: number): number | undefined {
    return this.channel(channelId)?.blockedFor(now);
  }

  recordChannelWrite(channelId: string, now: number): void {
    this.channel(channelId)?.record(now);
  }

  private channel(id: string): SlidingLog | undefined {
    if (!this.specs.channel) return undefined;
    let log = this.channels.get(id);
    if (!log) this.channels.set(id, (log = new SlidingLog(this.specs.channel)));
    return log;
  }
}
