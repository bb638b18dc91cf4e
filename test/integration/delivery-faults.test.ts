import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { startEmulator, visibleText, type Emulator } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

let emulator: Emulator;
const services: TestService[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.shutdown();
  emulator.reset();
});
afterAll(() => emulator.close());

/** alertcord against the emulator, with fast retries and a short breaker cool-down. */
async function service(input: Pick<ConfigInput, 'targets' | 'routes'> & Partial<ConfigInput>): Promise<TestService> {
  const s = await startTestService(
    testConfig({
      discord: { api_base_url: emulator.url },
      ...input,
      delivery: {
        backoff_initial: '20ms',
        backoff_max: '100ms',
        max_attempts: 20,
        breaker_cooldown: '200ms',
        ...(input.delivery as object | undefined),
      },
    }),
  );
  services.push(s);
  return s;
}

/** A notification whose alerts carry unique instance labels `${key}-${i}`. */
function group(key: string, alerts = 1, severity = 'warning') {
  const body = fixture('firing');
  const template = body.alerts[0]!;
  body.groupKey = `{}:{alertname="${key}"}`;
  body.alerts = Array.from({ length: alerts }, (_, i) => ({
    ...template,
    labels: { ...(template.labels as object), alertname: key, severity, instance: `${key}-${i}` },
    fingerprint: `${key}${i.toString(16).padStart(8, '0')}`,
  }));
  return body;
}

const seen = (key: string) => emulator.messages.filter((m) => visibleText(m).includes(`${key}-0`)).length;
const metrics = async (s: TestService) => (await fetch(`${s.url}/metrics`)).text();

describe('faults', () => {
  it('delivers everything through a burst of 5xx answers', async () => {
    const hook = emulator.createWebhook();
    const s = await service({ targets: { t: { webhook_url: hook.url } }, routes: [{ targets: ['t'] }] });
    let draws = 0;
    // Every other request fails, for the first 16 requests.
    emulator.setFaults({ serverErrorRate: 0.5, random: () => (draws++ < 32 ? (draws % 4 < 2 ? 0 : 0.9) : 1) });
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) expect((await s.post(group(key))).status).toBe(200);
    await eventually(() => expect(['a', 'b', 'c', 'd', 'e', 'f'].map(seen)).toEqual([1, 1, 1, 1, 1, 1]));
    expect(s.delivery.deadLetters.list()).toEqual([]);
    expect(await metrics(s)).toMatch(/alertcord_retries_total\{reason="server_error"\} [1-9]/);
  });

  it('delivers everything, exactly once, through connection resets', async () => {
    const hook = emulator.createWebhook();
    const s = await service({ targets: { t: { webhook_url: hook.url } }, routes: [{ targets: ['t'] }] });
    let draws = 0;
    emulator.setFaults({ resetRate: 0.5, random: () => (draws++ < 10 ? (draws % 2 === 0 ? 0 : 0.9) : 1) });
    for (const key of ['a', 'b', 'c', 'd']) await s.post(group(key));
    await eventually(() => expect(['a', 'b', 'c', 'd'].map(seen)).toEqual([1, 1, 1, 1]));
    expect(emulator.requests.some((r) => r.status === 0)).toBe(true);
    expect(await metrics(s)).toMatch(/alertcord_retries_total\{reason="network"\} [1-9]/);
  });

  it('rides out a storm of 429s of every scope, and counts them', async () => {
    const hook = emulator.createWebhook();
    const s = await service({ targets: { t: { webhook_url: hook.url } }, routes: [{ targets: ['t'] }] });
    emulator.setFaults({ force429: { count: 4, retryAfter: 0.1, scope: 'shared' } });
    await s.post(group('shared'));
    await eventually(() => expect(seen('shared')).toBe(1));
    emulator.setFaults({ force429: { count: 3, retryAfter: 0.1, global: true } });
    await s.post(group('global'));
    await eventually(() => expect(seen('global')).toBe(1));
    emulator.setFaults({ force429: { count: 3, retryAfter: 0.1 } });
    await s.post(group('user'));
    await eventually(() => expect(seen('user')).toBe(1));
    const text = await metrics(s);
    expect(text).toContain('alertcord_rate_limited_total{scope="shared"} 4');
    expect(text).toContain('alertcord_rate_limited_total{scope="global"} 3');
    expect(text).toContain('alertcord_rate_limited_total{scope="user"} 3');
    // Shared-scope 429s do not count towards Discord's invalid-request ban.
    expect(text).toContain('alertcord_invalid_requests_10m 6');
  });

  it('opens the breaker on a failing webhook, waits, and delivers once Discord is back', async () => {
    const hook = emulator.createWebhook();
    const s = await service({
      targets: { t: { webhook_url: hook.url } },
      routes: [{ targets: ['t'] }],
      delivery: { breaker_threshold: 3, breaker_cooldown: '500ms' },
    });
    emulator.setFaults({ serverErrorRate: 1 });
    await s.post(group('down'));
    await eventually(() => expect(s.logs.join('')).toContain('circuit breaker opened'));
    expect(await metrics(s)).toContain(`alertcord_breaker_state{webhook_id="${hook.id}"} 2`);
    emulator.setFaults({});
    await eventually(() => expect(seen('down')).toBe(1));
    expect(s.delivery.deadLetters.list()).toEqual([]);
    expect(await metrics(s)).toContain(`alertcord_breaker_state{webhook_id="${hook.id}"} 0`);
  });
});

describe("verdicts that are not Discord's", () => {
  it("retries a 404 a proxy answered without Discord's error code, and keeps the webhook", async () => {
    const hook = emulator.createWebhook();
    const s = await service({ targets: { t: { webhook_url: hook.url } }, routes: [{ targets: ['t'] }] });
    emulator.setFaults({ forceAnswer: { count: 2, status: 404 } });
    await s.post(group('proxied'));
    await eventually(() => expect(seen('proxied')).toBe(1));
    expect(emulator.requests.filter((r) => r.status === 404)).toHaveLength(2);
    expect(s.delivery.deadLetters.list()).toEqual([]);
    const text = await metrics(s);
    expect(text).not.toContain('alertcord_webhooks_removed_total{');
    expect(text).toContain('alertcord_retries_total{reason="http_4xx"} 2');
    // Still in rotation: the next message goes through it too.
    await s.post(group('after'));
    await eventually(() => expect(seen('after')).toBe(1));
  });

  it('dead-letters a message Discord refuses with its own 403, counts it as invalid, and keeps the webhook', async () => {
    const hook = emulator.createWebhook();
    const s = await service({ targets: { t: { webhook_url: hook.url } }, routes: [{ targets: ['t'] }] });
    emulator.setFaults({
      forceAnswer: { count: 1, status: 403, json: { message: 'Missing Permissions', code: 50013 } },
    });
    await s.post(group('refused'));
    await eventually(() => expect(s.delivery.deadLetters.list()).toHaveLength(1));
    expect(s.delivery.deadLetters.list()[0]).toMatchObject({
      reason: 'rejected',
      groupKey: '{}:{alertname="refused"}',
    });
    await s.post(group('next'));
    await eventually(() => expect(seen('next')).toBe(1));
    expect(emulator.requests.filter((r) => r.status === 403)).toHaveLength(1);
    const text = await metrics(s);
    expect(text).not.toContain('alertcord_webhooks_removed_total{');
    expect(text).toContain('alertcord_invalid_requests_10m 1');
  });
});

describe('webhook pools', () => {
  it('routes around a deleted webhook of a pool, and posts a notice to the fallback target', async () => {
    const channelId = '733000000000000001';
    const [a, doomed, c] = [1, 2, 3].map(() => emulator.createWebhook({ channelId }));
    const ops = emulator.createWebhook();
    const s = await service({
      targets: {
        pool: { webhook_urls: [a!.url, doomed!.url, c!.url], fallback_target: 'ops' },
        ops: { webhook_url: ops.url },
      },
      routes: [{ receiver: 'ops', targets: ['ops'] }, { targets: ['pool'] }],
    });
    emulator.deleteWebhook(doomed!.id);
    const keys = Array.from({ length: 9 }, (_, i) => `p${i}`);
    for (const key of keys) await s.post(group(key));
    await eventually(() => expect(keys.map(seen)).toEqual(keys.map(() => 1)));
    expect(emulator.requests.filter((r) => r.webhookId === doomed!.id)).toHaveLength(1);
    expect(new Set(emulator.messages.filter((m) => m.channelId === channelId).map((m) => m.webhookId))).toEqual(
      new Set([a!.id, c!.id]),
    );
    const notice = await eventually(() => {
      const [m] = emulator.messagesFor(ops.id);
      expect(m).toBeDefined();
      return m!;
    });
    expect(visibleText(notice)).toContain(doomed!.id);
    expect(s.delivery.deadLetters.list()).toEqual([]);
    expect(await metrics(s)).toContain(`alertcord_webhooks_removed_total{target="pool",webhook_id="${doomed!.id}"} 1`);
    expect(s.logs.join('\n')).not.toContain(doomed!.token);
  });

  it('serves dead letters as JSON without a token once no webhook is left', async () => {
    const doomed = emulator.createWebhook();
    const s = await service({ targets: { t: { webhook_url: doomed.url } }, routes: [{ targets: ['t'] }] });
    emulator.deleteWebhook(doomed.id);
    await s.post(group('lost', 2, 'critical'));
    const body = await eventually(async () => {
      const res = await fetch(`${s.url}/api/v1/dead-letters`);
      expect(res.status).toBe(200);
      const json = (await res.json()) as { total: number; dead_letters: Record<string, unknown>[] };
      expect(json.total).toBe(1);
      return json;
    });
    expect(body.dead_letters[0]).toMatchObject({
      target: 't',
      webhookId: doomed.id,
      reason: 'webhook_gone',
      priority: 'critical',
      alerts: [
        { fingerprint: 'lost00000000', status: 'firing', alertname: 'lost' },
        { fingerprint: 'lost00000001', status: 'firing', alertname: 'lost' },
      ],
    });
    expect(JSON.stringify(body)).not.toContain(doomed.token);
    expect(await metrics(s)).toContain('alertcord_dead_letters_total{reason="webhook_gone"} 1');
  });
});

describe('backpressure', () => {
  it('answers 503 with Retry-After when the queue is full, and delivers what it accepted', async () => {
    const hook = emulator.createWebhook();
    const s = await service({
      targets: { t: { webhook_url: hook.url } },
      routes: [{ targets: ['t'] }],
      delivery: { queue_limit: 3 },
    });
    emulator.setFaults({ latencyMs: 300 });
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await s.post(group(`q${i}`));
      statuses.push(res.status);
      if (res.status === 503) refused = res;
    }
    expect(statuses).toEqual([200, 200, 200, 503, 503]);
    expect(refused?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused?.json()).toMatchObject({ error: 'queue full, retry later' });
    await eventually(() => expect(['q0', 'q1', 'q2'].map(seen)).toEqual([1, 1, 1]));
    expect((await s.post(group('q3'))).status).toBe(200);
    expect(await metrics(s)).toContain('alertcord_notifications_received_total{outcome="rejected"} 2');
  });
});
