import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerAvailable, startAlertmanager, type AlertmanagerHandle } from '../support/alertmanager.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';
const TOKEN = 'shared-secret-between-alertmanager-and-alertcord';

/** Alertmanager's http_config authorization is exactly what the receiver expects. */
describe.skipIf(!alertmanagerAvailable() && !inCI)('real Alertmanager with receiver auth', () => {
  let service: TestService;
  let am: AlertmanagerHandle;

  beforeAll(async () => {
    if (!alertmanagerAvailable()) throw new Error('prometheus-alertmanager is not installed: .ci/run installs it');
    service = await startTestService(
      testConfig({
        server: { host: '127.0.0.1', port: 0, auth: { bearer_token: TOKEN } },
        targets: { d: { dry_run: true } },
        routes: [{ targets: ['d'] }],
      }),
    );
    am = await startAlertmanager({
      receivers: [
        { name: 'good', url: `${service.url}/alerts`, bearerToken: TOKEN },
        { name: 'bad', url: `${service.url}/alerts`, bearerToken: 'wrong' },
      ],
      routes: [{ matchers: ['creds="bad"'], receiver: 'bad' }],
    });
  });

  afterAll(async () => {
    await am?.stop();
    await service?.shutdown();
  });

  it('accepts Alertmanager with the right bearer token and refuses the wrong one', async () => {
    await am.postAlerts([
      { labels: { alertname: 'AuthGood', severity: 'warning' } },
      { labels: { alertname: 'AuthBad', severity: 'warning', creds: 'bad' } },
    ]);
    await eventually(() => expect(service.printed.join('')).toContain('AuthGood'), 20_000);
    await eventually(() => expect(am.logs()).toMatch(/401/), 20_000);
    expect(service.printed.join('')).not.toContain('AuthBad');
  });
});
