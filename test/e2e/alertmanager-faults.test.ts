import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/load.js';
import { startEmulator, visibleText, type Emulator } from '../emulator/index.js';
import { alertmanagerAvailable, startAlertmanager, type AlertmanagerHandle } from '../support/alertmanager.js';
import { getFreePort } from '../support/ports.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';

/**
 * The real Alertmanager against alertcord under faults: what alertcord refuses or loses,
 * Alertmanager's retries (on a 5xx or a refused connection) and repeats deliver after all.
 */
describe.skipIf(!alertmanagerAvailable() && !inCI)('real Alertmanager → alertcord under faults', () => {
  let emulator: Emulator;
  let am: AlertmanagerHandle | undefined;
  const services: TestService[] = [];

  beforeAll(async () => {
    if (!alertmanagerAvailable()) throw new Error('prometheus-alertmanager is not installed: .ci/run installs it');
    emulator = await startEmulator({ channelLimit: null, webhookLimit: { limit: 50, windowMs: 1000 } });
  });
  afterEach(async () => {
    await am?.stop();
    for (const s of services.splice(0)) await s.shutdown();
    emulator.reset();
  });
  afterAll(() => emulator?.close());

  const start = async (config: ResolvedConfig) => {
    const s = await startTestService(config);
    services.push(s);
    return s;
  };
  const delivered = (hookId: string, name: string) =>
    emulator.messagesFor(hookId).some((m) => visibleText(m).includes(name));

  it('queue full: alertcord answers 503, Alertmanager retries, every alert arrives once Discord recovers', async () => {
    const hook = emulator.createWebhook();
    const service = await start(
      testConfig({
        discord: { api_base_url: emulator.url },
        delivery: { queue_limit: 2, backoff_initial: '50ms', backoff_max: '200ms' },
        targets: { t: { webhook_url: hook.url } },
        routes: [{ targets: ['t'] }],
      }),
    );
    // Discord is slow at first: the tiny queue fills.
    emulator.setFaults({ latencyMs: 1500 });
    am = await startAlertmanager({
      receivers: [{ name: 'alertcord', url: `${service.url}/alerts` }],
      groupWait: '500ms',
      groupInterval: '1s',
    });
    const names = Array.from({ length: 8 }, (_, i) => `QueueFull${i}`);
    await am.postAlerts(names.map((alertname) => ({ labels: { alertname, severity: 'warning' } })));
    const metrics = () => fetch(`${service.url}/metrics`).then((r) => r.text());
    await eventually(
      async () => expect(await metrics()).toMatch(/alertcord_notifications_received_total\{outcome="rejected"\} [1-9]/),
      15_000,
    );
    emulator.setFaults({});
    await eventually(() => expect(names.filter((n) => !delivered(hook.id, n))).toEqual([]), 25_000);
    expect(emulator.counts().status400).toBe(0);
    expect(service.delivery.deadLetters.list()).toEqual([]);
  });

  it('alertcord restarted mid-stream: retries and repeats cover the gap', async () => {
    const hook = emulator.createWebhook();
    const port = await getFreePort();
    const config = testConfig({
      server: { host: '127.0.0.1', port },
      discord: { api_base_url: emulator.url, request_timeout: '500ms' },
      delivery: { drain_timeout: '200ms', backoff_initial: '50ms', backoff_max: '100ms', max_attempts: 100 },
      targets: { t: { webhook_url: hook.url } },
      routes: [{ targets: ['t'] }],
    });
    const first = await start(config);
    am = await startAlertmanager({
      receivers: [{ name: 'alertcord', url: `http://127.0.0.1:${port}/alerts` }],
      groupWait: '500ms',
      groupInterval: '1s',
      repeatInterval: '4s',
    });
    // Accepted with 200 but not yet delivered when alertcord goes away: lost by alertcord.
    emulator.setFaults({ serverErrorRate: 1 });
    await am.postAlerts([{ labels: { alertname: 'AcceptedThenLost', severity: 'warning' } }]);
    await eventually(() => expect(emulator.requests.some((r) => r.webhookId === hook.id)).toBe(true), 15_000);
    await first.shutdown();
    expect(first.delivery.deadLetters.list().map((l) => l.reason)).toEqual(['shutdown']);
    // Sent while alertcord is down: Alertmanager's connection is refused, and it retries.
    await am.postAlerts([{ labels: { alertname: 'SentWhileDown', severity: 'warning' } }]);
    await new Promise((r) => setTimeout(r, 2000));
    emulator.setFaults({});
    await start(config);
    await eventually(() => expect(delivered(hook.id, 'SentWhileDown')).toBe(true), 20_000);
    // The lost one comes back with Alertmanager's repeat_interval.
    await eventually(() => expect(delivered(hook.id, 'AcceptedThenLost')).toBe(true), 20_000);
  });
});
