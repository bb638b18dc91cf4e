import { describe, expect, it } from 'vitest';
import { interpretResponse } from '../../../../src/discord/client.js';
import type { SendResult } from '../../../../src/discord/send-result.js';
import { RateLimits } from '../../../../src/delivery/rate-limit/rate-limits.js';

const ok = (rateLimit: SendResult['rateLimit'], channelId?: string): SendResult => ({
  kind: 'ok',
  status: 200,
  messageId: '1',
  channelId,
  rateLimit,
});

/** Sends one request through `limits` at `now` and answers it with `result` at once. */
function exchange(limits: RateLimits, webhookId: string, now: number, result: SendResult) {
  const ticket = limits.take(webhookId, now);
  return limits.settle(webhookId, ticket, result, now);
}

const noChannelLimit = { limit: 10_000, windowMs: 60_000, criticalReserve: 0 };

const policy = { limit: 30, windowMs: 60_000, criticalReserve: 2 };

describe('RateLimits', () => {
  it('webhooks answering with the same bucket hash share one budget', () => {
    const limits = new RateLimits({ replicas: 1, globalPerSecond: 50, channel: noChannelLimit });
    exchange(limits, 'a', 0, ok({ limit: 2, remaining: 1, resetAfterMs: 2000, bucket: 'same' }));
    expect(limits.waitMs('b', 0, false)).toBe(0);
    exchange(limits, 'b', 0, ok({ limit: 2, remaining: 0, resetAfterMs: 2000, bucket: 'same' }));
    expect(limits.waitMs('a', 10, false)).toBe(1990);
    expect(limits.waitMs('b', 10, false)).toBe(1990);
  });

  it('webhooks with their own bucket hashes keep their own budgets', () => {
    const limits = new RateLimits({ replicas: 1, globalPerSecond: 50, channel: noChannelLimit });
    exchange(limits, 'a', 0, ok({ limit: 1, remaining: 0, resetAfterMs: 2000, bucket: 'ha' }));
    exchange(limits, 'b', 0, ok({ limit: 1, remaining: 1, resetAfterMs: 2000, bucket: 'hb' }));
    expect(limits.waitMs('a', 10, false)).toBe(1990);
    expect(limits.waitMs('b', 10, false)).toBe(0);
  });

  it('a user-scope 429 blocks the webhook for retry_after, even when the headers say budget is left', () => {
    const limits = new RateLimits({ replicas: 1, globalPerSecond: 50, channel: noChannelLimit });
    const r = interpretResponse(
      429,
      { 'x-ratelimit-remaining': '3', 'x-ratelimit-reset-after': '0.1', 'x-ratelimit-scope': 'user' },
      '{"message":"You are being rate limited.","retry_after":1.5,"global":false}',
    );
    exchange(limits, 'a', 0, r);
    expect(limits.waitMs('a', 0, false)).toBe(1500);
    expect(limits.waitMs('other', 0, false)).toBe(0);
  });

  it('reads a v6 429 in milliseconds', () => {
    const limits = new RateLimits({ replicas: 1, globalPerSecond: 50, channel: noChannelLimit });
    const r = interpretResponse(
      429,
      { 'retry-after': '1', 'x-ratelimit-scope': 'user' },
      '{"global":false,"message":"You are being rate limited.","retry_after":640}',
    );
    exchange(limits, 'a', 0, r);
    expect(limits.waitMs('a', 0, false)).toBe(640);
  });

  it('a global 429 blocks every webhook', () => {
    const limits = new RateLimits({ replicas: 1, globalPerSecond: 50, channel: noChannelLimit });
    exchange(limits, 'a', 0, { kind: 'rateLimited', status: 429, retryAfterMs: 700, scope: 'global', rateLimit: {} });
    expect(limits.waitMs('b', 100, false)).toBe(600);
  });

  it('keeps every webhook together under the global ceiling', () => {
    const limits = new RateLimits({ replicas: 1, globalPerSecond: 3, channel: noChannelLimit });
    for (const id of ['a', 'b', 'c']) exchange(limits, id, 0, ok({ limit: 5, remaining: 4, resetAfterMs: 2000 }));
    expect(limits.waitMs('d', 10, false)).toBe(990);
  });

  it('replicas divide the global ceiling and the channel window', () => {
    const limits = new RateLimits({
      replicas: 3,
      globalPerSecond: 50,
      channel: { limit: 30, windowMs: 60_000, criticalReserve: 0 },
    });
    const headers = { limit: 50, remaining: 49, resetAfterMs: 1000 };
    // 50 / 3 = 16 requests per second across webhooks.
    for (let i = 0; i < 16; i++) exchange(limits, `w${i}`, 0, ok(headers, `c${i}`));
    expect(limits.waitMs('w99', 0, false)).toBe(1000);
    // 30 / 3 = 10 messages per minute in one channel.
    for (let i = 0; i < 10; i++) exchange(limits, 'x', 2000 + i * 1000, ok(headers, 'one'));
    expect(limits.waitMs('x', 12_000, true)).toBe(50_000);
  });
});

describe('channels shared by webhooks', () => {
  const ok = (channelId: string): SendResult => ({
    kind: 'ok',
    status: 200,
    messageId: '1',
    channelId,
    rateLimit: { limit: 1000, remaining: 999, resetAfterMs: 1000 },
  });

  it('count each webhook as its own channel until Discord names the channel, then share it', () => {
    const limits = new RateLimits({ replicas: 1, globalPerSecond: 1000, channel: { ...policy, limit: 4 } });
    const send = (id: string, at: number, channel: string) => limits.settle(id, limits.take(id, at), ok(channel), at);
    send('a', 0, 'c1');
    send('a', 1, 'c1');
    send('b', 2, 'c2');
    // Before its first answer, webhook c knows nothing of a's messages.
    expect(limits.waitMs('c', 3, true)).toBe(0);
    send('c', 3, 'c1');
    send('c', 4, 'c1');
    // a and c post to c1: 4 messages there; b's channel is another.
    expect(limits.waitMs('a', 5, true)).toBe(59_995);
    expect(limits.waitMs('b', 5, true)).toBe(0);
  });

  it('edits do not use up the channel window, which counts new messages', () => {
    const limits = new RateLimits({
      replicas: 1,
      globalPerSecond: 1000,
      channel: { ...policy, limit: 2, criticalReserve: 0 },
    });
    for (let at = 0; at < 5; at++) limits.settle('a', limits.take('a', at), ok('c1'), at, false);
    expect(limits.waitMs('a', 5, false)).toBe(0);
    limits.settle('a', limits.take('a', 5), ok('c1'), 5);
    limits.settle('a', limits.take('a', 6), ok('c1'), 6);
    expect(limits.waitMs('a', 7, false)).toBe(59_998);
  });

  it('a shared-scope 429 on one webhook holds back every webhook of the channel', () => {
    const limits = new RateLimits({ replicas: 1, globalPerSecond: 1000, channel: policy });
    for (const id of ['a', 'b']) limits.settle(id, limits.take(id, 0), ok('c1'), 0);
    limits.settle(
      'a',
      limits.take('a', 10),
      {
        kind: 'rateLimited',
        status: 429,
        retryAfterMs: 40_000,
        scope: 'shared',
        rateLimit: {},
      },
      10,
    );
    expect(limits.waitMs('b', 10, true)).toBe(40_000);
  });
});
