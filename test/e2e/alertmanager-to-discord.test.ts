import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, visibleText, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { alertmanagerAvailable, startAlertmanager, type AlertmanagerHandle } from '../support/alertmanager.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';

/**
 * The whole path with real parts: the real Alertmanager posts its webhook to alertcord,
 * alertcord delivers to the Discord emulator with Discord's limits.
 */
describe.skipIf(!alertmanagerAvailable() && !inCI)('real Alertmanager → alertcord → Discord', () => {
  let emulator: Emulator;
  let hook: WebhookHandle;
  let service: TestService;
  let am: AlertmanagerHandle;

  beforeAll(async () => {
    if (!alertmanagerAvailable()) throw new Error('prometheus-alertmanager is not installed: .ci/run installs it');
    emulator = await startEmulator();
    hook = emulator.createWebhook();
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        targets: { payments: { webhook_url: hook.url } },
        routes: [{ receiver: 'alertcord', targets: ['payments'] }],
      }),
    );
    am = await startAlertmanager({
      receivers: [{ name: 'alertcord', url: `${service.url}/alerts`, sendResolved: true }],
      groupBy: ['alertname', 'service'],
    });
  });

  afterAll(async () => {
    await am?.stop();
    await service?.shutdown();
    await emulator?.close();
  });

  it('delivers firing alerts as a valid Discord message, then edits it in place when they resolve', async () => {
    const alerts = [
      {
        labels: { alertname: 'PaymentLatencyHigh', service: 'payment', severity: 'critical', instance: 'pay-1:8080' },
        annotations: { summary: 'p99 latency 2.3s on pay-1' },
      },
      {
        labels: { alertname: 'PaymentLatencyHigh', service: 'payment', severity: 'critical', instance: 'pay-2:8080' },
        annotations: { summary: 'p99 latency 1.9s on pay-2' },
      },
    ];
    await am.postAlerts(alerts);

    const firing = await eventually(() => {
      const found = emulator
        .messagesFor(hook.id)
        .filter((m) => visibleText(m).includes('FIRING') || /firing/.test(m.body.content ?? ''));
      expect(found.length).toBeGreaterThan(0);
      return found;
    }, 20_000);
    const text = firing.map(visibleText).join('\n');
    expect(text).toContain('PaymentLatencyHigh');
    expect(text).toContain('pay-1:8080');
    expect(text).toContain('pay-2:8080');
    expect(firing[0]!.body.embeds[0].color).toBe(0xe74c3c);

    await am.resolveAlerts(alerts);
    const resolved = await eventually(() => {
      const found = emulator.messagesFor(hook.id).filter((m) => /resolved/.test(m.body.content ?? ''));
      expect(found.length).toBeGreaterThan(0);
      return found[0]!;
    }, 20_000);
    // Resolve in place: the firing message itself now shows the resolution; nothing new was posted.
    expect(resolved.id).toBe(firing[0]!.id);
    expect(resolved.edits).toBeGreaterThanOrEqual(1);
    expect(emulator.messagesFor(hook.id)).toHaveLength(1);
    expect(resolved.body.allowed_mentions).toEqual({ parse: [] });
    expect(resolved.body.embeds).toHaveLength(2);
    for (const embed of resolved.body.embeds) {
      expect(embed.title).toContain('RESOLVED');
      expect(embed.color).toBe(0x2ecc71);
    }
    expect(emulator.counts().status400).toBe(0);
    expect([...service.logs, am.logs()].join('\n')).not.toContain(hook.token);
  });
});
