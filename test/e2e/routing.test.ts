import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, visibleText, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { alertmanagerAvailable, startAlertmanager, type AlertmanagerHandle } from '../support/alertmanager.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';
const ROLE = '223456789012345678';

/**
 * Two Alertmanager receivers posting to one alertcord: each notification lands in the
 * webhooks its receiver and labels route it to, and nowhere else.
 */
describe.skipIf(!alertmanagerAvailable() && !inCI)('real Alertmanager, two receivers → routed webhooks', () => {
  let emulator: Emulator;
  let hooks: Record<'payments' | 'dr' | 'platform', WebhookHandle>;
  let service: TestService;
  let am: AlertmanagerHandle;

  beforeAll(async () => {
    if (!alertmanagerAvailable()) throw new Error('prometheus-alertmanager is not installed: .ci/run installs it');
    emulator = await startEmulator();
    hooks = { payments: emulator.createWebhook(), dr: emulator.createWebhook(), platform: emulator.createWebhook() };
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        targets: {
          payments: { webhook_url: hooks.payments.url },
          dr: { webhook_url: hooks.dr.url, severities: ['critical'], mentions: { roles: [ROLE] } },
          platform: { webhook_url: hooks.platform.url },
        },
        routes: [
          { receiver: 'payments', matchers: ['severity=~"critical|warning"'], targets: ['payments', 'dr'] },
          { receiver: 'default', targets: ['platform'] },
        ],
      }),
    );
    am = await startAlertmanager({
      receivers: [
        { name: 'default', url: `${service.url}/alerts` },
        { name: 'payments', url: `${service.url}/alerts` },
      ],
      routes: [{ matchers: ['team="payments"'], receiver: 'payments' }],
      groupBy: ['alertname'],
    });
  });

  afterAll(async () => {
    await am?.stop();
    await service?.shutdown();
    await emulator?.close();
  });

  it("routes by receiver and labels; a target sees only its alerts; the DR target's role is pinged", async () => {
    await am.postAlerts([
      { labels: { alertname: 'PaymentsDown', team: 'payments', severity: 'critical', instance: 'pay-1' } },
      { labels: { alertname: 'PaymentsDown', team: 'payments', severity: 'warning', instance: 'pay-2' } },
      { labels: { alertname: 'SearchSlow', team: 'search', severity: 'critical', instance: 'search-1' } },
    ]);
    // Present means shown by the client; absent means nowhere in what was sent, hidden or not.
    const text = (hook: WebhookHandle) => emulator.messagesFor(hook.id).map(visibleText).join('\n');
    const sent = (hook: WebhookHandle) => JSON.stringify(emulator.messagesFor(hook.id).map((m) => m.body));
    await eventually(() => {
      expect(text(hooks.payments)).toContain('pay-2');
      expect(text(hooks.dr)).toContain('pay-1');
      expect(text(hooks.platform)).toContain('search-1');
    }, 20_000);
    expect(text(hooks.payments)).toContain('pay-1');
    expect(sent(hooks.payments)).not.toContain('search-1');
    expect(sent(hooks.dr)).not.toContain('pay-2');
    expect(sent(hooks.dr)).not.toContain('search-1');
    expect(sent(hooks.platform)).not.toContain('pay-');

    const [drMessage] = emulator.messagesFor(hooks.dr.id);
    expect(drMessage?.body.content).toMatch(new RegExp(`^<@&${ROLE}>`));
    expect(drMessage?.body.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(emulator.messagesFor(hooks.payments.id)[0]?.body.allowed_mentions).toEqual({ parse: [] });
    expect(emulator.counts().status400).toBe(0);
  });
});
