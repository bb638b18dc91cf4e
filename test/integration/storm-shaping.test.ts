import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, visibleText, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

interface Body {
  groupKey: string;
  alerts: { fingerprint: string; labels: Record<string, string> }[];
}

/** A notification of group `g` whose alerts are named `A{g}x{j}`. */
function group(g: number, alerts: number): Body {
  const body = fixture('firing') as unknown as Body;
  body.groupKey = `storm-${g}`;
  const template = body.alerts[0]!;
  body.alerts = Array.from({ length: alerts }, (_, j) => ({
    ...template,
    fingerprint: `f${g}x${j}`,
    labels: { ...template.labels, alertname: `A${g}x${j}`, severity: 'warning' },
  }));
  return body;
}

describe('a storm against the emulator: coalescing, digests and packing', () => {
  let emulator: Emulator;
  let hook: WebhookHandle;
  let service: TestService;

  beforeAll(async () => {
    emulator = await startEmulator({ channelLimit: { limit: 4, windowMs: 3000 } });
    hook = emulator.createWebhook();
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        rate_limit: { channel_messages: 4, channel_window: '3s', critical_reserve: 0 },
        delivery: { digest_after: '2s' },
        targets: { team: { webhook_url: hook.url } },
        routes: [{ targets: ['team'] }],
      }),
    );
  });
  afterAll(async () => {
    await service.shutdown();
    await emulator.close();
  });

  it('names every alert in fewer requests than notifications, within every limit', async () => {
    const posts = Array.from({ length: 24 }, (_, g) => group(g, 3));
    // A newer state of group 0: its new alert (A0x3) is named too.
    posts.push(group(0, 4));
    for (const body of posts) expect((await service.post(body)).status).toBe(200);
    await eventually(() => expect(service.delivery.queued).toBe(0), 20_000);

    const text = emulator.messagesFor(hook.id).map(visibleText).join('\n');
    const names = posts.flatMap((b) => b.alerts.map((a) => a.labels.alertname!));
    expect(names.filter((n) => !text.includes(n))).toEqual([]);
    const counts = emulator.counts();
    expect(counts.status400).toBe(0);
    expect(counts.status429ByScope['shared'] ?? 0).toBeLessThanOrEqual(1);
    expect(counts.total).toBeLessThan(posts.length / 2);
    expect(service.delivery.deadLetters.total).toBe(0);
    expect(service.logs.some((l) => l.includes('rendering digests'))).toBe(true);
    const metrics = async () => (await fetch(`${service.url}/metrics`)).text();
    expect(await metrics()).toMatch(/alertcord_packed_messages_total\{target="team"\} [1-9]/);
    // The digest ends once the storm's arrivals are older than the arrival window (10 s).
    await eventually(async () => expect(await metrics()).toContain('alertcord_digest_mode{target="team"} 0'), 20_000);
  });
});
