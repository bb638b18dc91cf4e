import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  alertmanagerAvailable,
  startAlertmanager,
  type AlertmanagerHandle,
  type PostableAlert,
} from '../support/alertmanager.js';

interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

interface WebhookPayload {
  version: string;
  groupKey: string;
  truncatedAlerts: number;
  status: string;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

interface Recorded {
  path: string;
  headers: IncomingHttpHeaders;
  body: WebhookPayload;
}

interface Recorder {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

async function startRecorder(): Promise<Recorder> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        requests.push({
          path: req.url ?? '',
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload,
        });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ZERO_TIME = '0001-01-01T00:00:00Z';
const available = alertmanagerAvailable();
const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

if (!available && !inCI) {
  console.warn(
    'Skipping Alertmanager integration tests: prometheus-alertmanager/amtool not found ' +
      '(install the Debian package prometheus-alertmanager, or run .ci/run).',
  );
}

describe.skipIf(!available && !inCI)('real Alertmanager harness', () => {
  let recorder: Recorder;
  let am: AlertmanagerHandle | undefined;

  beforeAll(async () => {
    if (!available) {
      throw new Error('Alertmanager binary or amtool missing in CI: the CI job must install prometheus-alertmanager');
    }
    recorder = await startRecorder();
  });

  afterEach(async (ctx) => {
    if (am && ctx.task.result?.state === 'fail') console.error(`--- alertmanager logs ---\n${am.logs()}`);
    await am?.stop();
    am = undefined;
    recorder?.requests.splice(0);
  });

  afterAll(async () => {
    await recorder?.close();
  });

  it('delivers firing and then resolved v4 webhook notifications', async () => {
    am = await startAlertmanager({
      receivers: [{ name: 'alertcord', url: `${recorder.url}/hook/alertcord`, bearerToken: 's3cret' }],
      groupBy: ['service'],
    });

    const alerts: PostableAlert[] = [
      {
        labels: { alertname: 'HighErrorRate', service: 'payment', severity: 'critical', instance: 'pay-1:8080' },
        annotations: { summary: 'Error rate above 5%', runbook_url: 'https://runbooks.example/errors' },
        generatorURL: 'http://prometheus.example:9090/graph?g0.expr=rate',
      },
      {
        labels: { alertname: 'HighLatency', service: 'payment', severity: 'warning', instance: 'pay-2:8080' },
        annotations: { summary: 'p99 above 2s' },
      },
    ];
    await am.postAlerts(alerts);

    const firing = await waitFor('a firing notification naming both alerts', () =>
      recorder.requests.find(
        (r) =>
          r.body.status === 'firing' &&
          ['HighErrorRate', 'HighLatency'].every((n) => r.body.alerts.some((a) => a.labels.alertname === n)),
      ),
    );

    expect(firing.path).toBe('/hook/alertcord');
    expect(firing.headers.authorization).toBe('Bearer s3cret');
    expect(firing.headers['content-type']).toMatch(/^application\/json/);
    expect(firing.headers['user-agent']).toMatch(/^Alertmanager\//);

    const p = firing.body;
    expect(p.version).toBe('4');
    expect(p.receiver).toBe('alertcord');
    expect(p.groupKey).toBe('{}:{service="payment"}');
    expect(p.truncatedAlerts).toBe(0);
    expect(p.externalURL).toBe(am.url);
    expect(p.groupLabels).toEqual({ service: 'payment' });
    expect(p.commonLabels).toEqual({ service: 'payment' });
    expect(p.commonAnnotations).toEqual({});
    expect(p.alerts).toHaveLength(2);
    for (const a of p.alerts) {
      expect(a.status).toBe('firing');
      expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(Number.isNaN(Date.parse(a.startsAt))).toBe(false);
      expect(a.endsAt).toBe(ZERO_TIME);
    }
    const errorRate = p.alerts.find((a) => a.labels.alertname === 'HighErrorRate');
    expect(errorRate?.labels).toEqual(alerts[0]?.labels);
    expect(errorRate?.annotations).toEqual(alerts[0]?.annotations);
    expect(errorRate?.generatorURL).toBe(alerts[0]?.generatorURL);
    expect(p.alerts.find((a) => a.labels.alertname === 'HighLatency')?.generatorURL).toBe('');

    await am.resolveAlerts(alerts);
    const resolved = await waitFor('a resolved notification', () =>
      recorder.requests.find((r) => r.body.status === 'resolved'),
    );

    const r = resolved.body;
    expect(r.version).toBe('4');
    expect(r.groupKey).toBe(p.groupKey);
    expect(r.receiver).toBe('alertcord');
    expect(r.alerts).toHaveLength(2);
    for (const a of r.alerts) {
      const before = p.alerts.find((f) => f.fingerprint === a.fingerprint);
      expect(before, `fingerprint ${a.fingerprint} is stable`).toBeDefined();
      expect(a.status).toBe('resolved');
      expect(a.startsAt).toBe(before?.startsAt);
      expect(a.endsAt).not.toBe(ZERO_TIME);
      expect(Date.parse(a.endsAt)).toBeGreaterThanOrEqual(Date.parse(a.startsAt));
    }
  });

  it('routes by matchers and truncates with max_alerts', async () => {
    am = await startAlertmanager({
      receivers: [
        { name: 'default', url: `${recorder.url}/hook/default` },
        { name: 'payments', url: `${recorder.url}/hook/payments`, maxAlerts: 1 },
      ],
      routes: [{ matchers: ['team="payments"'], receiver: 'payments' }],
    });

    await am.postAlerts([
      { labels: { alertname: 'DiskFull', team: 'payments', instance: 'a' } },
      { labels: { alertname: 'DiskFull', team: 'payments', instance: 'b' } },
      { labels: { alertname: 'DiskFull', team: 'payments', instance: 'c' } },
      { labels: { alertname: 'CPUHigh', team: 'search' } },
    ]);

    const payments = await waitFor('a notification on the payments receiver', () =>
      recorder.requests.find((r) => r.path === '/hook/payments'),
    );
    const fallback = await waitFor('a notification on the default receiver', () =>
      recorder.requests.find((r) => r.path === '/hook/default'),
    );

    expect(payments.body.receiver).toBe('payments');
    expect(payments.body.alerts).toHaveLength(1);
    expect(payments.body.truncatedAlerts).toBe(2);
    expect(payments.headers.authorization).toBeUndefined();
    expect(fallback.body.receiver).toBe('default');
    expect(fallback.body.alerts.map((a) => a.labels.alertname)).toEqual(['CPUHigh']);
    expect(fallback.body.truncatedAlerts).toBe(0);
  });

  it('fails clearly when amtool rejects the config', async () => {
    await expect(
      startAlertmanager({
        receivers: [{ name: 'only', url: `${recorder.url}/hook` }],
        routes: [{ matchers: ['team="x"'], receiver: 'does-not-exist' }],
      }),
    ).rejects.toThrow(/amtool check-config rejected[\s\S]*does-not-exist/);
  });
});
