import { describe, expect, it } from 'vitest';
import type { SendResult } from '../../../../src/discord/send-result.js';
import { RateLimits, type RateLimitConfig } from '../../../../src/delivery/rate-limit/rate-limits.js';
import { RecordingJournal } from '../../../support/recording-journal.js';
import { invalidFormBody } from '../../../support/send-results.js';

const config: RateLimitConfig = {
  replicas: 1,
  globalPerSecond: 1000,
  channel: { limit: 30, windowMs: 60_000, criticalReserve: 2 },
};
const T0 = Date.parse('2026-12-01T03:00:00Z');

const ok = (channelId: string | undefined): SendResult => ({
  kind: 'ok',
  status: 200,
  messageId: '1',
  channelId,
  rateLimit: { limit: 1000, remaining: 999, resetAfterMs: 1000 },
});
const sharedLimit: SendResult = {
  kind: 'rateLimited',
  status: 429,
  retryAfterMs: 8000,
  scope: 'shared',
  rateLimit: {},
};

const send = (limits: RateLimits, webhookId: string, at: number, result: SendResult, createsMessage = true) =>
  limits.settle(webhookId, limits.take(webhookId, at), result, at, createsMessage);

/** Pool A mid-storm: webhooks a and b post 20 messages to channel c1 in 20 s, then meet a shared 429. */
function storm(journal: RecordingJournal): RateLimits {
  const a = new RateLimits(config, journal);
  for (let i = 0; i < 20; i++) send(a, i % 2 ? 'b' : 'a', T0 + i * 1000, ok('c1'));
  send(a, 'a', T0 + 20_000, sharedLimit);
  return a;
}

describe('channel windows and their journal', () => {
  it('journals one entry per channel, under the webhook until Discord names the channel', () => {
    const journal = new RecordingJournal();
    const limits = new RateLimits(config, journal);
    send(limits, 'a', T0, ok(undefined));
    expect(journal.entries('channel-windows')).toEqual([
      ['webhook:a', { webhooks: ['a'], sent: [T0], blockedUntil: 0 }],
    ]);
    expect(journal.changes.at(-1)).toMatchObject({ ttlMs: 60_000 });

    send(limits, 'a', T0 + 1000, ok('c1'));
    send(limits, 'b', T0 + 2000, ok('c1'));
    expect(journal.changes).toContainEqual({ op: 'remove', space: 'channel-windows', key: 'webhook:a' });
    expect(journal.entries('channel-windows')).toEqual([
      ['channel:c1', { webhooks: ['a', 'b'], sent: [T0, T0 + 1000, T0 + 2000], blockedUntil: 0 }],
    ]);
  });

  it('an edit or a refused message changes nothing worth journaling', () => {
    const journal = new RecordingJournal();
    const limits = new RateLimits(config, journal);
    send(limits, 'a', T0, ok('c1'));
    const before = journal.changes.length;
    send(limits, 'a', T0 + 1000, ok('c1'), false);
    send(limits, 'a', T0 + 2000, invalidFormBody());
    expect(journal.changes.length).toBe(before);
  });

  it('a 429 lesson is kept as long as the learned ceiling lasts', () => {
    const journal = new RecordingJournal();
    storm(journal);
    const [[key, value]] = journal.entries('channel-windows') as [[string, Record<string, unknown>]];
    expect(key).toBe('channel:c1');
    expect(value).toMatchObject({ blockedUntil: T0 + 28_000, learned: { limit: 20, until: T0 + 620_000 } });
    expect(journal.changes.at(-1)).toMatchObject({ ttlMs: 600_000 });
  });

  it('a pool restored from what another journaled waits as that one would, for every webhook of the channel', () => {
    const journal = new RecordingJournal();
    const a = storm(journal);
    const b = new RateLimits(config);
    expect(b.channels.restore(journal.entries('channel-windows'), T0 + 20_500)).toEqual({ restored: 1, dropped: 0 });
    // Clocks only move forward: the windows forget what has left them.
    expect(b.waitMs('b', T0 + 20_500, true)).toBe(7500);
    // The learned ceiling of 20 holds: after the block, the channel is full until its first message leaves.
    expect(b.waitMs('b', T0 + 30_000, true)).toBe(30_000);
    expect(b.waitMs('a', T0 + 30_000, false)).toBe(30_000);
    for (const now of [T0 + 20_500, T0 + 30_000, T0 + 59_000, T0 + 61_000, T0 + 200_000]) {
      for (const webhook of ['a', 'b']) {
        for (const critical of [true, false]) {
          expect(b.waitMs(webhook, now, critical), `${webhook} at +${now - T0} ms`).toBe(
            a.waitMs(webhook, now, critical),
          );
        }
      }
    }
    expect(b.drainMs('a', 20, T0 + 200_000)).toBe(a.drainMs('a', 20, T0 + 200_000));
  });

  it('webhooks of a restored channel go on sharing it, and their next change is journaled under it', () => {
    const first = new RecordingJournal();
    storm(first);
    const journal = new RecordingJournal();
    const b = new RateLimits(config, journal);
    b.channels.restore(first.entries('channel-windows'), T0 + 60_500);
    expect(journal.changes).toEqual([]);
    send(b, 'b', T0 + 61_000, ok('c1'));
    // Those of A's messages still inside the window at +61 s (from +2 s on), and B's own.
    const sent = [...Array.from({ length: 18 }, (_, i) => T0 + (i + 2) * 1000), T0 + 61_000];
    expect(journal.entries('channel-windows')).toEqual([
      ['channel:c1', { webhooks: ['a', 'b'], sent, blockedUntil: 0, learned: { limit: 20, until: T0 + 620_000 } }],
    ]);
  });

  it('drops invalid and expired entries, and counts them', () => {
    const limits = new RateLimits(config);
    const now = T0 + 120_000;
    const counts = limits.channels.restore(
      [
        ['channel:c1', { webhooks: ['a'], sent: [T0 + 100_000], blockedUntil: 0 }],
        ['channel:c2', { webhooks: ['b'], sent: [T0], blockedUntil: T0 + 1000 }],
        ['channel:c3', { webhooks: [], sent: [T0 + 100_000], blockedUntil: 0 }],
        ['channel:c4', { webhooks: ['d'], sent: ['soon'], blockedUntil: 0 }],
        ['webhook:e', { webhooks: ['f'], sent: [T0 + 100_000], blockedUntil: 0 }],
        ['something', { webhooks: ['g'], sent: [T0 + 100_000], blockedUntil: 0 }],
        ['webhook:h', { webhooks: ['h'], sent: [T0 + 100_000], blockedUntil: 0, learned: { limit: 0, until: now } }],
      ],
      now,
    );
    expect(counts).toEqual({ restored: 1, dropped: 6 });
    expect(limits.drainMs('a', 30, now)).toBe(40_000);
    for (const webhook of ['b', 'd', 'f', 'g', 'h']) expect(limits.drainMs(webhook, 30, now)).toBe(0);
  });
});
