import type { SendResult } from '../../discord/send-result.js';
import { WebhookBucket } from './bucket.js';
import { noJournal, type StateJournal } from '../../state/journal.js';
import type { ChannelPolicy } from './channel-window.js';
import { ChannelWindows } from './channel-windows.js';
import { GlobalLimiter } from './global-limiter.js';
import { SharedByKey } from './shared-by-key.js';
import type { LogEntry } from './sliding-log.js';

export interface RateLimitConfig {
  /** alertcord replicas sending through the same webhooks: each uses 1/replicas of every budget. */
  replicas: number;
  globalPerSecond: number;
  channel: ChannelPolicy;
}

/** What one request took from the budgets, handed back when its answer arrives. */
export interface Ticket {
  bucket: LogEntry;
  channel: LogEntry;
  global: LogEntry;
}

/** What an answer taught, for the logs. */
export type Lesson = { kind: 'none' } | { kind: 'channelCeiling'; limit: number; channel: string };

/**
 * Every budget a webhook request spends, learned from Discord's answers: the webhook's bucket
 * (shared by webhooks with the same `X-RateLimit-Bucket` hash), the channel's hidden window
 * (shared by webhooks of one channel, known from the `channel_id` of a `wait=true` answer;
 * until then each webhook counts as its own channel) and the global ceiling. What was learned
 * about the channels is journaled; the buckets and the global ceiling, learned again from the
 * headers of the first answers, are not.
 */
export class RateLimits {
  readonly #buckets: SharedByKey<WebhookBucket>;
  /** The channels' windows, journaled so that a dispatcher taking over restores them. */
  readonly channels: ChannelWindows;
  readonly #global: GlobalLimiter;

  constructor(config: RateLimitConfig, journal: StateJournal = noJournal) {
    const n = config.replicas;
    const limit = Math.max(1, Math.floor(config.channel.limit / n));
    const channel: ChannelPolicy = {
      limit,
      windowMs: config.channel.windowMs,
      criticalReserve: Math.min(Math.ceil(config.channel.criticalReserve / n), limit - 1),
    };
    this.#buckets = new SharedByKey(
      () => new WebhookBucket(n),
      (into, from) => into.absorb(from),
    );
    this.channels = new ChannelWindows(channel, journal);
    this.#global = new GlobalLimiter(Math.max(1, Math.floor(config.globalPerSecond / n)));
  }

  /** Milliseconds until this webhook may send: 0 now, Infinity until an answer arrives. */
  waitMs(webhookId: string, now: number, critical: boolean): number {
    return Math.max(
      this.#buckets.get(webhookId).waitMs(now),
      this.channels.of(webhookId).waitMs(now, critical),
      this.#global.waitMs(now),
    );
  }

  /** Milliseconds until this webhook's channel could have taken `messages` more. */
  drainMs(webhookId: string, messages: number, now: number): number {
    return this.channels.of(webhookId).drainMs(messages, now);
  }

  bucketSnapshot(webhookId: string, now: number): ReturnType<WebhookBucket['snapshot']> {
    return this.#buckets.get(webhookId).snapshot(now);
  }

  take(webhookId: string, now: number): Ticket {
    return {
      bucket: this.#buckets.get(webhookId).take(now),
      channel: this.channels.of(webhookId).take(now),
      global: this.#global.take(now),
    };
  }

  /** `createsMessage` false for an edit: Discord's per-channel limit counts new messages only. */
  settle(webhookId: string, ticket: Ticket, result: SendResult, now: number, createsMessage = true): Lesson {
    this.#buckets.get(webhookId).settle(ticket.bucket, result.rateLimit, now);
    if (result.rateLimit.bucket) this.#buckets.join(webhookId, `bucket:${result.rateLimit.bucket}`);
    this.#global.settle(ticket.global, now);

    const channel = this.channels.of(webhookId);
    const counted = createsMessage && (result.kind === 'ok' || result.kind === 'retryable');
    if (counted) channel.settle(ticket.channel, now);
    else channel.release(ticket.channel);
    const joined = result.kind === 'ok' && !!result.channelId && this.channels.join(webhookId, result.channelId);
    const lesson = this.#learn(webhookId, result, now);
    if (counted || joined || lesson.kind === 'channelCeiling') this.channels.record(webhookId, now);
    return lesson;
  }

  #learn(webhookId: string, result: SendResult, now: number): Lesson {
    if (result.kind !== 'rateLimited') return { kind: 'none' };
    switch (result.scope) {
      case 'global':
        this.#global.blockFor(result.retryAfterMs, now);
        return { kind: 'none' };
      case 'shared': {
        const limit = this.channels.of(webhookId).hitHiddenLimit(result.retryAfterMs, now);
        return { kind: 'channelCeiling', limit, channel: this.channels.channelOf(webhookId) ?? `webhook ${webhookId}` };
      }
      case 'user':
        this.#buckets.get(webhookId).blockFor(result.retryAfterMs, now);
        return { kind: 'none' };
    }
  }
}
