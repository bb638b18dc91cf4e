import type { MessageSink } from '../../src/discord/client.js';
import type { DiscordMessage } from '../../src/discord/message.js';
import type { SendResult } from '../../src/discord/send-result.js';
import type { Webhook } from '../../src/discord/webhook.js';
import { bucketHash } from '../emulator/ids.js';
import { FixedWindow, SlidingLog } from '../emulator/ratelimit.js';
import type { WindowSpec } from '../emulator/types.js';
import type { FakeClock } from './fake-clock.js';

export interface SimulatedDiscordOptions {
  webhookLimit?: WindowSpec;
  channelLimit?: WindowSpec;
  globalLimit?: WindowSpec;
  /** Channel of each webhook id; default one channel for all. */
  channelOf?: (webhookId: string) => string;
  /** Round trip of one request, half each way. */
  rttMs?: number;
}

export interface Delivered {
  at: number;
  webhookId: string;
  channelId: string;
  message: DiscordMessage;
}

/**
 * Discord's three limits (the emulator's own rules) on a fake clock, as a MessageSink: for unit
 * tests of the scheduler that run minutes of Discord time in milliseconds.
 */
export function simulatedDiscord(clock: FakeClock, o: SimulatedDiscordOptions = {}) {
  const webhookSpec = o.webhookLimit ?? { limit: 5, windowMs: 2000 };
  const channelSpec = o.channelLimit ?? { limit: 30, windowMs: 60_000 };
  const globalWindow = new FixedWindow(o.globalLimit ?? { limit: 50, windowMs: 1000 });
  const webhooks = new Map<string, FixedWindow>();
  const channels = new Map<string, SlidingLog>();
  const delivered: Delivered[] = [];
  const rateLimited: { at: number; scope: string }[] = [];
  const channelOf = o.channelOf ?? (() => '900000000000000001');
  const half = (o.rttMs ?? 20) / 2;
  let override: ((webhookId: string) => SendResult | undefined) | undefined;

  function answer(webhookId: string, message: DiscordMessage): SendResult {
    const now = clock.now();
    const bucket = webhooks.get(webhookId) ?? new FixedWindow(webhookSpec);
    webhooks.set(webhookId, bucket);
    const headers = () => {
      const s = bucket.state(now);
      return { limit: s.limit, remaining: s.remaining, resetAfterMs: s.resetAfterMs, bucket: bucketHash(webhookId) };
    };
    const limited = (scope: 'user' | 'global' | 'shared', retryAfterMs: number): SendResult => {
      rateLimited.push({ at: now, scope });
      return { kind: 'rateLimited', status: 429, retryAfterMs, scope, rateLimit: headers() };
    };
    const forced = override?.(webhookId);
    if (forced) return forced;
    const g = globalWindow.take(now);
    if (g !== undefined) return limited('global', g);
    const w = bucket.take(now);
    if (w !== undefined) return limited('user', w);
    const channelId = channelOf(webhookId);
    const channel = channels.get(channelId) ?? new SlidingLog(channelSpec);
    channels.set(channelId, channel);
    const c = channel.blockedFor(now);
    if (c !== undefined) return limited('shared', c);
    channel.record(now);
    delivered.push({ at: now, webhookId, channelId, message });
    return { kind: 'ok', status: 200, messageId: String(delivered.length), channelId, rateLimit: headers() };
  }

  const sink: MessageSink = {
    execute: async (webhook: Webhook, message: DiscordMessage) => {
      await clock.sleep(half);
      const result = answer(webhook.id, message);
      await clock.sleep(half);
      return result;
    },
    edit: async () => {
      throw new Error('edits are not simulated');
    },
    delete: async () => {
      throw new Error('deletes are not simulated');
    },
    close: async () => {},
  };
  return {
    sink,
    delivered,
    rateLimited,
    /** Answers every request with this result while it returns one (faults). */
    override(fn: ((webhookId: string) => SendResult | undefined) | undefined): void {
      override = fn;
    },
  };
}
