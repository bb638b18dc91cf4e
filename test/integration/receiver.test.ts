import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, visibleText, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

let emulator: Emulator;
let hook: WebhookHandle;
let service: TestService;

function alertsNamed(count: number, prefix: string) {
  const base = fixture('firing');
  const template = base.alerts[0]!;
  base.alerts = Array.from({ length: count }, (_, i) => ({
    ...template,
    labels: { ...(template.labels as object), instance: `${prefix}-${i}` },
    fingerprint: `${prefix}${i.toString(16).padStart(8, '0')}`,
  }));
  base.groupKey = `{}:{alertname="${prefix}"}`;
  return base;
}

/** What a person reads: an embed the client hides (a repeated url) does not count. */
const allText = visibleText;

beforeAll(async () => {
  emulator = await startEmulator();
  hook = emulator.createWebhook();
  service = await startTestService(
    testConfig({
      discord: { api_base_url: emulator.url },
      delivery: { backoff_initial: '10ms', backoff_max: '50ms', max_attempts: 4 },
      targets: { team: { webhook_url: hook.url } },
      routes: [{ targets: ['team'] }],
    }),
  );
});

afterEach(() => emulator.reset());

afterAll(async () => {
  await service.shutdown();
  await emulator.close();
  const everything = [
    ...service.logs,
    await (await fetch(`${service.url}/metrics`).catch(() => undefined))?.text(),
  ].join('\n');
  expect(everything).not.toContain(hook.token);
});

describe('POST /alerts → Discord', () => {
  it('delivers one message with an embed per alert and no mentions allowed', async () => {
    const res = await service.post(fixture('firing'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'queued', alerts: 2 });
    const [message] = await eventually(() => {
      const m = emulator.messagesFor(hook.id);
      expect(m).toHaveLength(1);
      return m;
    });
    expect(message!.body.allowed_mentions).toEqual({ parse: [] });
    expect(message!.body.embeds).toHaveLength(2);
    expect(message!.body.embeds[0].title).toContain('HighErrorRate');
    expect(message!.body.embeds[0].color).toBe(0xe74c3c);
    expect(allText(message!)).toContain('pay-1:8080');
    expect(allText(message!)).toContain('pay-2:8080');
    const post = emulator.requests.find((r) => r.method === 'POST');
    expect(post?.path).toMatch(/^\/api\/v10\/webhooks\/\d+\/:token\?wait=true/);
  });

  it('renders resolved alerts green', async () => {
    await service.post(fixture('resolved'));
    const [message] = await eventually(() => {
      const m = emulator.messagesFor(hook.id);
      expect(m).toHaveLength(1);
      return m;
    });
    expect(message!.body.embeds[0].color).toBe(0x2ecc71);
    expect(message!.body.embeds[0].title).toContain('RESOLVED');
  });

  it('splits a 100-alert group into several valid messages, naming every alert', async () => {
    emulator.reset();
    await service.post(alertsNamed(100, 'big'));
    const messages = await eventually(() => {
      const m = emulator.messagesFor(hook.id);
      expect(m.length).toBeGreaterThanOrEqual(10);
      return m;
    }, 20_000);
    // The Instance field's value is a line of its own: big-1 does not match big-10.
    const lines = new Set(messages.flatMap((m) => allText(m).split('\n')));
    for (let i = 0; i < 100; i++) expect(lines.has(`big-${i}`), `big-${i}`).toBe(true);
    expect(emulator.counts().status400).toBe(0);
  });

  it('says how many alerts Alertmanager truncated', async () => {
    const body = fixture('firing');
    body.truncatedAlerts = 7;
    await service.post(body);
    const [message] = await eventually(() => {
      const m = emulator.messagesFor(hook.id);
      expect(m).toHaveLength(1);
      return m;
    });
    expect(allText(message!)).toContain('7 more alerts');
  });

  it('keeps hostile alert text inside the structure and never pings', async () => {
    const body = fixture('firing');
    body.alerts[0]!.annotations = {
      summary: '"}]}, "content": "@everyone" \\ \n\n <@&123456789012345678> 🔥👩‍👩‍👧',
      description: '@here ```` [click](https://evil.example) \u0000 \u202e',
    };
    const res = await service.post(body);
    expect(res.status).toBe(200);
    const [message] = await eventually(() => {
      const m = emulator.messagesFor(hook.id);
      expect(m).toHaveLength(1);
      return m;
    });
    expect(message!.body.allowed_mentions).toEqual({ parse: [] });
    expect(message!.body.embeds).toHaveLength(2);
    expect(message!.body.embeds[0].description).toContain('🔥');
    expect(message!.body.embeds[0].description).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(emulator.counts().status400).toBe(0);
  });
});

describe('rate limits and failures', () => {
  it('waits out 429s and delivers', async () => {
    emulator.setFaults({ force429: { count: 2, retryAfter: 0.05 } });
    await service.post(fixture('firing'));
    await eventually(() => expect(emulator.messagesFor(hook.id)).toHaveLength(1));
    expect(emulator.counts().byStatus[429]).toBe(2);
  });

  it('retries 5xx with backoff and delivers once Discord recovers', async () => {
    // The first two requests fail, then Discord is healthy again (the emulator draws twice
    // per failing request: once for the rate, once for which 5xx).
    let calls = 0;
    emulator.setFaults({ serverErrorRate: 0.5, random: () => (calls++ < 4 ? 0 : 1) });
    await service.post(fixture('firing'));
    await eventually(() => expect(emulator.messagesFor(hook.id)).toHaveLength(1));
    expect(emulator.counts().byStatus[200]).toBe(1);
    expect(
      Object.entries(emulator.counts().byStatus)
        .filter(([code]) => Number(code) >= 500)
        .reduce((n, [, c]) => n + c, 0),
    ).toBe(2);
  });

  it('never retries a deleted webhook, and dead-letters the message', async () => {
    const doomed = emulator.createWebhook();
    const s = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        targets: { gone: { webhook_url: doomed.url } },
        routes: [{ targets: ['gone'] }],
      }),
    );
    try {
      emulator.deleteWebhook(doomed.id);
      await s.post(fixture('firing'));
      await eventually(() => expect(s.delivery.deadLetters.list()).toHaveLength(1));
      expect(emulator.requests.filter((r) => r.webhookId === doomed.id)).toHaveLength(1);
      expect(s.delivery.deadLetters.list()[0]).toMatchObject({ reason: 'webhook_gone', webhookId: doomed.id });
      const logs = s.logs.join('\n');
      expect(logs).toContain(doomed.id);
      expect(logs).not.toContain(doomed.token);
    } finally {
      await s.shutdown();
    }
  });
});

describe('bad input', () => {
  it('answers 400 with the fields at fault', async () => {
    const body = fixture('firing');
    delete body.alerts[0]!.fingerprint;
    const res = await service.post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; issues: { path: string; message: string }[] };
    expect(json.issues.map((i) => i.path)).toContain('alerts[0].fingerprint');
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await service.post('{"version":', { contentType: 'application/json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid JSON' });
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await service.post('alert!', { contentType: 'text/plain' });
    expect(res.status).toBe(415);
  });

  it('answers 413 for a body over the limit, logs it with its receiver and groupKey, and counts it', async () => {
    const s = await startTestService(
      testConfig({
        server: { host: '127.0.0.1', port: 0, body_limit: '1KiB' },
        targets: { d: { dry_run: true } },
        routes: [{ targets: ['d'] }],
      }),
    );
    try {
      const body = fixture('firing');
      body.commonAnnotations = { big: 'x'.repeat(2048) };
      const text = JSON.stringify(body);
      const res = await s.post(body);
      expect(res.status).toBe(413);
      // Without Content-Length (chunked): refused once the bytes read cross the limit.
      const chunked = await fetch(`${s.url}/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Blob([text]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);

      const refused = s.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.limit === 1024);
      expect(refused).toHaveLength(2);
      expect(refused[0]).toMatchObject({
        level: 50,
        contentLength: Buffer.byteLength(text),
        receiver: body.receiver,
        groupKey: body.groupKey,
      });
      expect(refused[1]).toMatchObject({ receiver: body.receiver, groupKey: body.groupKey });
      expect(refused[1]!.bytesRead as number).toBeGreaterThan(1024);
      expect(refused[0]!.msg).toContain('server.body_limit');
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      expect(metrics).toContain('alertcord_notifications_received_total{outcome="too_large"} 2');
      expect(metrics).toContain('alertcord_http_requests_total{route="/alerts",code="413"} 2');
    } finally {
      await s.shutdown();
    }
  });
});

describe('health and metrics', () => {
  it('serves /healthz, /readyz and /metrics', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    await service.post(fixture('firing'));
    await eventually(() => expect(emulator.messagesFor(hook.id)).toHaveLength(1));
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).toMatch(/alertcord_notifications_received_total\{outcome="accepted"\} \d+/);
    expect(text).toMatch(/alertcord_alerts_received_total\{status="firing"\} \d+/);
    expect(text).toMatch(new RegExp(`alertcord_discord_requests_total\\{webhook_id="${hook.id}",code="200"\\} \\d+`));
    expect(text).toContain('alertcord_discord_request_duration_seconds_bucket');
    expect(text).not.toContain(hook.token);
  });
});
