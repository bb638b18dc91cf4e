import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/alertmanager/payload.js';
import { loadConfigFile, type ResolvedTarget } from '../../../src/config/load.js';
import type { EnqueueOptions } from '../../../src/delivery/delivery.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { Router } from '../../../src/routing/router.js';
import { createLogger } from '../../../src/shared/logger.js';
import { FakeClock } from '../../support/fake-clock.js';
import { writeExampleConfig } from '../../support/example-config.js';
import { alert, notification } from '../routing/fixtures.js';

/** The scenario docs/routing.md promises, decided by config.example.yaml itself. */
describe('config.example.yaml routes the documented scenario', () => {
  const { file, env } = writeExampleConfig(mkdtempSync(join(tmpdir(), 'alertcord-scenario-')));
  const loaded = loadConfigFile(file, env);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const config = loaded.config;

  function start(at: string) {
    const clock = new FakeClock(Date.parse(at));
    const sent: { targets: string[]; alerts: string[]; options: EnqueueOptions | undefined }[] = [];
    const router = new Router({
      config: () => config,
      clock,
      log: createLogger('silent'),
      metrics: createMetrics(),
      room: () => true,
      deadLetter: () => {},
      enqueue: (n: Notification, targets: readonly ResolvedTarget[], options?: EnqueueOptions) => {
        sent.push({ targets: targets.map((t) => t.name), alerts: n.alerts.map((a) => a.labels.alertname!), options });
        return { ok: true, jobs: targets.length };
      },
    });
    return { clock, router, sent };
  }

  // Tuesday 2026-03-03 20:00 UTC = 12:00 in Los Angeles; 2026-03-04 10:00 UTC = 02:00 there.
  const LA_NOON = '2026-03-03T20:00:00Z';
  const LA_NIGHT = '2026-03-04T10:00:00Z';

  it('payment-service: critical and warning to fintech, critical also to the DR server; info falls through', () => {
    const t = start(LA_NIGHT);
    const n = notification([
      alert({ alertname: 'PayCrit', service: 'payment-service', severity: 'critical' }),
      alert({ alertname: 'PayWarn', service: 'payment-service', severity: 'warning' }),
      alert({ alertname: 'PayInfo', service: 'payment-service', severity: 'info' }),
    ]);
    t.router.receive(n, undefined);
    expect(t.sent.map(({ targets, alerts }) => ({ targets, alerts }))).toEqual([
      { targets: ['fintech'], alerts: ['PayCrit', 'PayWarn'] },
      { targets: ['fintech-dr'], alerts: ['PayCrit'] },
      { targets: ['platform-team'], alerts: ['PayInfo'] },
    ]);
  });

  it('user-auth-service: delivered in Los Angeles business hours; at night held until 09:00, except critical', async () => {
    const day = start(LA_NOON);
    day.router.receive(
      notification([alert({ alertname: 'AuthWarn', service: 'user-auth-service', severity: 'warning' })]),
      undefined,
    );
    expect(day.sent.map((s) => s.targets)).toEqual([['identity']]);

    const night = start(LA_NIGHT);
    night.router.receive(
      notification([
        alert({ alertname: 'AuthWarn', service: 'user-auth-service', severity: 'warning' }),
        alert({ alertname: 'AuthCrit', service: 'user-auth-service', severity: 'critical' }),
      ]),
      undefined,
    );
    expect(night.sent.map(({ targets, alerts }) => ({ targets, alerts }))).toEqual([
      { targets: ['identity'], alerts: ['AuthCrit'] },
    ]);
    await night.clock.advance(7 * 3_600_000 - 1); // 08:59:59.999 in Los Angeles
    expect(night.sent).toHaveLength(1);
    await night.clock.advance(1);
    expect(night.sent[1]).toMatchObject({ targets: ['identity'], alerts: ['AuthWarn'] });
  });

  it('critical payment alert unresolved: platform-team after 5 minutes, on-call SRE after 10', async () => {
    const t = start(LA_NIGHT);
    const crit = alert({ alertname: 'PayCrit', service: 'payment-service', severity: 'critical' });
    t.router.receive(notification([crit]), undefined);
    await t.clock.advance(5 * 60_000);
    await t.clock.advance(5 * 60_000);
    expect(t.sent.map((s) => s.targets)).toEqual([['fintech', 'fintech-dr'], ['platform-team'], ['oncall-sre']]);
    expect(config.targets.get('oncall-sre')?.mentions?.roles).toEqual(['123456789012345678']);
    expect(t.sent[2]?.options?.note).toMatch(/after 10m/);

    const resolvedEarly = start(LA_NIGHT);
    resolvedEarly.router.receive(notification([crit]), undefined);
    await resolvedEarly.clock.advance(4 * 60_000);
    resolvedEarly.router.receive(notification([{ ...crit, status: 'resolved' }]), undefined);
    await resolvedEarly.clock.advance(30 * 60_000);
    expect(resolvedEarly.sent.map((s) => s.targets)).toEqual([
      ['fintech', 'fintech-dr'],
      ['fintech', 'fintech-dr'],
    ]);
  });
});
