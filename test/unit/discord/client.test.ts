import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordClient, networkReason } from '../../../src/discord/client.js';
import { parseWebhookUrl } from '../../../src/discord/webhook.js';
import { FAKE_WEBHOOK_URL } from '../../fixtures/index.js';

const seen: { method: string | undefined; url: string | undefined; body: string }[] = [];
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    seen.push({ method: req.method, url: req.url, body });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: '111111111111111111', channel_id: '222222222222222222' }));
  });
});
let client: DiscordClient;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = new DiscordClient({
    apiBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    timeoutMs: 5000,
  });
});
afterAll(async () => {
  await client.close();
  await new Promise((r) => server.close(r));
});

describe('DiscordClient', () => {
  it('executes and edits through the undici agent, with the path and body Discord expects', async () => {
    const parsed = parseWebhookUrl(FAKE_WEBHOOK_URL);
    if (!parsed.ok) throw new Error('fixture webhook does not parse');
    const posted = await client.execute(
      parsed.webhook,
      { content: 'hi', allowed_mentions: { parse: [] } },
      { threadId: '333333333333333333' },
    );
    expect(posted).toMatchObject({ kind: 'ok', messageId: '111111111111111111' });
    const edited = await client.edit(parsed.webhook, '111111111111111111', {
      content: 'edited',
      username: 'x',
      allowed_mentions: { parse: [] },
    });
    expect(edited.kind).toBe('ok');
    expect(seen.map((s) => s.method)).toEqual(['POST', 'PATCH']);
    expect(seen[0]!.url).toMatch(/^\/api\/v10\/webhooks\/\d+\/[^/]+\?wait=true&thread_id=333333333333333333$/);
    expect(JSON.parse(seen[1]!.body)).toEqual({ content: 'edited', allowed_mentions: { parse: [] } });
  });

  it("loads only undici's agent and request, not its index with fetch, mocks and caches", () => {
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((f) => f.endsWith('/undici/lib/dispatcher/agent.js'))).toBe(true);
    expect(loaded.filter((f) => f.endsWith('/undici/index.js'))).toEqual([]);
  });
});

describe('a request that gets no answer', () => {
  it("keeps the error's code in the retry reason", async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const parsed = parseWebhookUrl(FAKE_WEBHOOK_URL);
    if (!parsed.ok) throw new Error('fixture webhook does not parse');
    const refused = new DiscordClient({ apiBaseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 });
    const result = await refused.execute(parsed.webhook, { content: 'x', allowed_mentions: { parse: [] } });
    await refused.close();
    expect(result.kind).toBe('retryable');
    expect(result.kind === 'retryable' && result.reason).toMatch(/^\w+ ECONNREFUSED: /);
  });

  it('reads the code from the error or its cause', () => {
    const timeout = Object.assign(new Error('Connect Timeout Error'), {
      name: 'ConnectTimeoutError',
      code: 'UND_ERR_CONNECT_TIMEOUT',
    });
    expect(networkReason(timeout)).toBe('ConnectTimeoutError UND_ERR_CONNECT_TIMEOUT: Connect Timeout Error');
    const wrapped = new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
    expect(networkReason(wrapped)).toBe('TypeError ECONNRESET: fetch failed');
    expect(networkReason(new Error('plain'))).toBe('Error: plain');
  });
});
