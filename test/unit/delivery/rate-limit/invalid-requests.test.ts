import { describe, expect, it } from 'vitest';
import { interpretResponse } from '../../../../src/discord/client.js';
import { InvalidRequests } from '../../../../src/delivery/rate-limit/invalid-requests.js';

describe('invalid requests', () => {
  it('counts every 401 and 403, whoever answered, and non-shared 429s; nothing else', () => {
    const invalid = new InvalidRequests();
    const answers: [number, string][] = [
      [401, '{"message":"Invalid Webhook Token","code":50027}'],
      [401, ''],
      [403, '{"message":"Missing Permissions","code":50013}'],
      [403, '<html>Access denied</html>'],
      [429, '{"retry_after":1,"global":false}'],
      [429, '{"retry_after":1,"global":false,"code":20028}'],
      [404, '{"message":"Unknown Webhook","code":10015}'],
      [404, ''],
      [400, '{"message":"Invalid Form Body","code":50035}'],
      [500, ''],
    ];
    for (const [status, body] of answers) {
      const headers = body.includes('20028') ? { 'x-ratelimit-scope': 'shared' } : {};
      invalid.record(interpretResponse(status, headers, body), 1000);
    }
    expect(invalid.lastTenMinutes(1000)).toBe(5);
    expect(invalid.lastTenMinutes(1000 + 10 * 60_000)).toBe(0);
  });
});
