/**
 * A burst of one Prometheus rule: every alert carries the same generatorURL. Through the
 * shipped templates to the emulator, every alert must be shown as the Discord client shows a
 * message (an embed repeating a url in its message is not), and no request may repeat a url.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenEmbeds, startEmulator, visibleText, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const ALERTS = 60;
const TEMPLATES = ['default', 'compact'] as const;

interface Body {
  groupKey: string;
  alerts: { fingerprint: string; labels: Record<string, string>; generatorURL?: string }[];
}

function burst(): Body {
  const body = fixture('firing') as unknown as Body;
  const template = body.alerts[0]!;
  body.alerts = Array.from({ length: ALERTS }, (_, i) => ({
    ...template,
    fingerprint: `burst${String(i).padStart(4, '0')}`,
    labels: { ...template.labels, instance: `burst-${String(i).padStart(2, '0')}:8080` },
  }));
  return body;
}

const instances = Array.from({ length: ALERTS }, (_, i) => `burst-${String(i).padStart(2, '0')}:8080`);

describe('a 60-alert burst of one rule', () => {
  let emulator: Emulator;
  let service: TestService;
  const hooks = {} as Record<(typeof TEMPLATES)[number], WebhookHandle>;

  beforeAll(async () => {
    emulator = await startEmulator({ webhookLimit: { limit: 50, windowMs: 1000 }, channelLimit: null });
    for (const t of TEMPLATES) hooks[t] = emulator.createWebhook();
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        targets: Object.fromEntries(TEMPLATES.map((t) => [t, { webhook_url: hooks[t].url, template: t }])),
        routes: [{ targets: [...TEMPLATES] }],
      }),
    );
  });
  afterAll(async () => {
    await service.shutdown();
    await emulator.close();
  });

  it('shares one generatorURL across all its alerts (the case the client collapses)', () => {
    expect(new Set(burst().alerts.map((a) => a.generatorURL)).size).toBe(1);
  });

  it.each(TEMPLATES)('%s: every alert is shown by the client, and no request repeats a url', async (template) => {
    if (emulator.messagesFor(hooks.default.id).length === 0) {
      expect((await service.post(burst())).status).toBe(200);
      await eventually(() => expect(service.delivery.queued).toBe(0), 30_000);
    }
    const messages = await eventually(() => {
      const found = emulator.messagesFor(hooks[template].id);
      const text = found.map(visibleText).join('\n');
      expect(instances.filter((i) => !text.includes(i))).toEqual([]);
      return found;
    }, 30_000);
    // Several embeds in one message, all from one rule: the case that needs distinct urls.
    expect(messages.some((m) => (m.body.embeds?.length ?? 0) > 1)).toBe(true);
    for (const m of messages) expect(hiddenEmbeds(m)).toBe(0);
    // What reached Discord, not only what it kept: every request body.
    const sent = emulator.requests.filter((r) => r.webhookId === hooks[template].id && r.body !== undefined);
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) {
      const urls = ((r.body as { embeds?: { url?: string }[] }).embeds ?? []).flatMap((e) => e.url ?? []);
      expect(new Set(urls).size).toBe(urls.length);
    }
    expect(emulator.counts().status400).toBe(0);
  });
});
