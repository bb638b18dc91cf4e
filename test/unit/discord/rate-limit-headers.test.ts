import { describe, expect, it } from 'vitest';
import { interpretResponse } from '../../../src/discord/client.js';
import { parseRateLimitHeaders, retryAfterMs } from '../../../src/discord/rate-limit-headers.js';

describe('rate-limit headers', () => {
  it('reads limit, remaining, reset-after and bucket', () => {
    expect(
      parseRateLimitHeaders({
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': '1.337',
        'x-ratelimit-bucket': 'abcd1234',
      }),
    ).toEqual({ limit: 5, remaining: 0, resetAfterMs: 1337, bucket: 'abcd1234' });
  });

  it('ignores garbage', () => {
    expect(parseRateLimitHeaders({ 'x-ratelimit-limit': 'many', 'x-ratelimit-remaining': '' })).toEqual({});
  });

  it('takes retry_after in seconds from v10, and it beats the rounded header', () => {
    expect(retryAfterMs({ 'retry-after': '1' }, { retry_after: 0.64 }, 10)).toBe(640);
  });

  it('takes retry_after in milliseconds from v6', () => {
    expect(retryAfterMs({}, { retry_after: 640 }, 6)).toBe(640);
  });

  it('recognises milliseconds when the value dwarfs the whole-second header', () => {
    expect(retryAfterMs({ 'retry-after': '1' }, { retry_after: 640 }, 10)).toBe(640);
    expect(retryAfterMs({ 'retry-after': '45' }, { retry_after: 44.2 }, 10)).toBe(44_200);
  });

  it('falls back to the header, then to one second', () => {
    expect(retryAfterMs({ 'retry-after': '3' }, {}, 10)).toBe(3000);
    expect(retryAfterMs({}, 'not json', 10)).toBe(1000);
  });
});

describe('interpretResponse', () => {
  const rl = { 'x-ratelimit-remaining': '4' };
  it.each([
    [200, '{"id":"42","channel_id":"7"}', 'ok'],
    [204, '', 'ok'],
    [429, '{"message":"You are being rate limited.","retry_after":0.5,"global":false}', 'rateLimited'],
    [500, 'oops', 'retryable'],
    [502, '<html>bad gateway</html>', 'retryable'],
    [404, '{"message":"Unknown Webhook","code":10015}', 'gone'],
    [401, '{"message":"Invalid Webhook Token","code":50027}', 'gone'],
    [404, '{"message":"Unknown Message","code":10008}', 'unknownMessage'],
    // Only Discord's own codes say a webhook is gone; a proxy's or the edge's 4xx is retried.
    [404, '', 'retryable'],
    [404, '<html><body>404 Not Found</body></html>', 'retryable'],
    [404, '{"message":"404: Not Found","code":0}', 'retryable'],
    [401, '{"message":"401: Unauthorized","code":0}', 'retryable'],
    [403, '<html>Access denied | discord.com used Cloudflare</html>', 'retryable'],
    // Discord's word about this request (a deleted thread, missing permissions): not retried.
    [404, '{"message":"Unknown Channel","code":10003}', 'rejected'],
    [403, '{"message":"Missing Permissions","code":50013}', 'rejected'],
    [400, '{"message":"Invalid Form Body","code":50035,"errors":{"embeds":{"_errors":[]}}}', 'rejected'],
    [400, '{"message":"Thread is archived","code":50083}', 'archived'],
  ])('%i %s → %s', (status, body, kind) => {
    const r = interpretResponse(status, rl, body);
    expect(r.kind).toBe(kind);
    expect(r.rateLimit.remaining).toBe(4);
  });

  it('keeps the message id, the 429 scope and Discord error tree', () => {
    const ok = interpretResponse(200, {}, '{"id":"42"}');
    expect(ok.kind === 'ok' && ok.messageId).toBe('42');
    const shared = interpretResponse(
      429,
      { 'x-ratelimit-scope': 'shared' },
      '{"retry_after":41.5,"global":false,"code":20028}',
    );
    expect(shared).toMatchObject({ kind: 'rateLimited', scope: 'shared', retryAfterMs: 41_500 });
    const global = interpretResponse(429, {}, '{"retry_after":1,"global":true}');
    expect(global).toMatchObject({ kind: 'rateLimited', scope: 'global' });
    const rejected = interpretResponse(400, {}, '{"message":"Invalid Form Body","code":50035,"errors":{"content":{}}}');
    expect(rejected).toMatchObject({ kind: 'rejected', code: 50035, errors: { content: {} } });
  });
});
