import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { channelState } from '../support/channel-state.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

describe('deduplication against the emulator', () => {
  let emulator: Emulator;
  let hook: WebhookHandle;
  let service: TestService;

  beforeAll(async () => {
    emulator = await startEmulator();
    hook = emulator.createWebhook();
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        dedup: { window: '5m' },
        targets: { team: { webhook_url: hook.url } },
        routes: [{ targets: ['team'] }],
      }),
    );
  });
  afterAll(async () => {
    await service.shutdown();
    await emulator.close();
  });

  it('delivers an HA pair of identical notifications once, and the resolution once (as an edit)', async () => {
    const peer1 = fixture('firing');
    const peer2 = fixture('firing');
    peer2.alerts.reverse();
    const [r1, r2] = await Promise.all([service.post(peer1), service.post(peer2)]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    await service.post(peer1); // Alertmanager retrying after a timeout
    await eventually(() => expect(emulator.messagesFor(hook.id)).toHaveLength(1));

    await service.post(fixture('resolved'));
    await service.post(fixture('resolved'));
    await eventually(() => expect(emulator.messagesFor(hook.id)[0]?.edits).toBe(1));
    await new Promise((r) => setTimeout(r, 200));
    expect(emulator.messagesFor(hook.id)).toHaveLength(1);
    expect(emulator.messagesFor(hook.id)[0]?.edits).toBe(1);

    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('alertcord_deduplicated_total{target="team"} 3');
  });
});

describe('repeats against the emulator (dedup.repeat: repost)', () => {
  let emulator: Emulator;
  let hook: WebhookHandle;
  let service: TestService;
  const WINDOW_MS = 300;

  beforeAll(async () => {
    emulator = await startEmulator({ webhookLimit: { limit: 50, windowMs: 2000 } });
    hook = emulator.createWebhook();
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        dedup: { window: `${WINDOW_MS}ms`, repeat: 'repost' },
        targets: { team: { webhook_url: hook.url } },
        routes: [{ targets: ['team'] }],
      }),
    );
  });
  afterAll(async () => {
    await service.shutdown();
    await emulator.close();
  });

  it('fires, repeats twice, resolves: one live message for the group, and it shows no alert firing', async () => {
    const firing = fixture('firing') as unknown as { status: string; alerts: { labels: Record<string, string> }[] };
    // Named A + 6 digits, as channelState reads them.
    firing.alerts.forEach((a, i) => (a.labels.instance = `A90000${i}`));
    const ids = firing.alerts.map((a) => a.labels.instance!);
    const resolved = structuredClone(firing);
    resolved.status = 'resolved';
    for (const a of resolved.alerts) Object.assign(a, { status: 'resolved', endsAt: '2026-12-01T04:00:00Z' });
    const live = () => emulator.messagesFor(hook.id).filter((m) => m.deletedAt === undefined);

    await service.post(firing);
    await eventually(() => expect(emulator.messagesFor(hook.id)).toHaveLength(1));
    for (const n of [2, 3]) {
      // Alertmanager's repeat_interval, after the dedup window: posted again, the old one deleted.
      await new Promise((r) => setTimeout(r, WINDOW_MS + 50));
      await service.post(firing);
      await eventually(() => expect(emulator.messagesFor(hook.id)).toHaveLength(n));
      await eventually(() => expect(live()).toHaveLength(1));
      expect(channelState(emulator.messagesFor(hook.id)).firing).toEqual([...ids].sort());
    }
    const [newest] = live();
    expect(newest!.id).toBe(emulator.messagesFor(hook.id)[2]!.id);

    await service.post(resolved);
    await eventually(() => expect(newest!.edits).toBe(1));
    const state = channelState(emulator.messagesFor(hook.id));
    expect(state.firing).toEqual([]);
    expect(state.named).toEqual([...ids].sort());
    expect(live()).toHaveLength(1);
    expect(emulator.counts().status400).toBe(0);
  });
});
