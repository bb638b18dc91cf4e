import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
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
