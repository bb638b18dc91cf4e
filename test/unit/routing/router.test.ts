import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/alertmanager/payload.js';
import type { ResolvedTarget } from '../../../src/config/load.js';
import type { EnqueueOptions } from '../../../src/delivery/delivery.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { Router } from '../../../src/routing/router.js';
import { createLogger } from '../../../src/shared/logger.js';
import { FakeClock } from '../../support/fake-clock.js';
import { alert, config, notification } from './fixtures.js';

const MINUTE = 60_000;
const businessLA = {
  time_zone: 'America/Los_Angeles',
  weekdays: ['monday:friday'],
  times: [{ start_time: '09:00', end_time: '17:00' }],
  outside: 'hold' as const,
  exempt_severities: ['critical'],
};

function setup(
  routes: Parameters<typeof config>[0],
  targets: Parameters<typeof config>[1] = {},
  start?: number,
  /** The delivery queue's shared budget, as Delivery.room judges it (nothing queued here). */
  budget = { entries: Infinity, bytes: Infinity },
) {
  const clock = new FakeClock(start);
  const sent: { n: Notification; targets: string[]; options: EnqueueOptions | undefined }[] = [];
  const deadLetters: { n: Notification; target: string }[] = [];
  let accepting = true;
  const metrics = createMetrics();
  const router: Router = new Router({
    config: () => c,
    clock,
    log: createLogger('silent'),
    metrics,
    room: (more) =>
      router.usage.entries + more.entries <= budget.entries && router.usage.bytes + more.bytes <= budget.bytes,
    deadLetter: (n, target) => void deadLetters.push({ n, target }),
    enqueue: (n: Notification, ts: readonly ResolvedTarget[], options?: EnqueueOptions) => {
      if (!accepting) return { ok: false, reason: 'queue_full' };
      sent.push({ n, targets: ts.map((t) => t.name), options });
      return { ok: true, jobs: ts.length };
    },
  });
  const c = config(routes, targets);
  return {
    clock,
    router,
    sent,
    deadLetters,
    metrics,
    setAccepting: (v: boolean) => (accepting = v),
    summary: () =>
      sent.map((s) => ({ targets: s.targets, alerts: s.n.alerts.map((a) => `${a.fingerprint}:${a.status}`) })),
  };
}

describe('held alerts', () => {
  // Monday 2026-03-02 04:00 in Los Angeles; the window opens at 09:00 PST = 17:00 UTC
  const NIGHT = Date.parse('2026-03-02T12:00:00Z');

  it('are sent when the window opens, as one message per group; critical goes at once', async () => {
    const t = setup(
      [{ matchers: ['service="user-auth-service"'], targets: ['auth'], active_hours: businessLA }],
      {},
      NIGHT,
    );
    const warn = alert({ service: 'user-auth-service', severity: 'warning' });
    const crit = alert({ service: 'user-auth-service', severity: 'critical' });
    expect(t.router.receive(notification([warn, crit]), undefined)).toMatchObject({ ok: true, targets: ['auth'] });
    expect(t.summary()).toEqual([{ targets: ['auth'], alerts: [`${crit.fingerprint}:firing`] }]);
    expect(t.router.held.size).toBe(1);

    await t.clock.advance(5 * 60 * MINUTE - 1);
    expect(t.sent).toHaveLength(1);
    await t.clock.advance(1);
    expect(t.summary()[1]).toEqual({ targets: ['auth'], alerts: [`${warn.fingerprint}:firing`] });
    expect(t.sent[1]!.n.groupKey).toBe(notification([]).groupKey);
    expect(t.router.held.size).toBe(0);
  });

  it('a resolution before the window opens cancels the held alert: nothing is sent', async () => {
    const t = setup([{ targets: ['auth'], active_hours: businessLA }], {}, NIGHT);
    const warn = alert({ severity: 'warning' });
    t.router.receive(notification([warn]), undefined);
    t.router.receive(notification([{ ...warn, status: 'resolved' }]), undefined);
    expect(t.router.held.size).toBe(0);
    await t.clock.advance(24 * 60 * MINUTE);
    expect(t.sent).toEqual([]);
  });

  it('the resolution of an alert posted earlier waits for the window too', async () => {
    const t = setup([{ targets: ['auth'], active_hours: businessLA }], {}, NIGHT);
    const warn = alert({ severity: 'warning' }, 'resolved');
    t.router.receive(notification([warn]), undefined);
    await t.clock.advance(5 * 60 * MINUTE);
    expect(t.summary()).toEqual([{ targets: ['auth'], alerts: [`${warn.fingerprint}:resolved`] }]);
  });

  it('are retried later when delivery is full at release time', async () => {
    const t = setup([{ targets: ['auth'], active_hours: businessLA }], {}, NIGHT);
    t.router.receive(notification([alert({ severity: 'info' })]), undefined);
    t.setAccepting(false);
    await t.clock.advance(5 * 60 * MINUTE);
    expect(t.router.held.size).toBe(1);
    t.setAccepting(true);
    await t.clock.advance(30_000);
    expect(t.sent).toHaveLength(1);
    expect(t.router.held.size).toBe(0);
  });

  it('are refused (queue_full) beyond the shared budget: nothing of that notification is queued or held', async () => {
    const t = setup([{ targets: ['auth'], active_hours: businessLA }], {}, NIGHT, { entries: 2, bytes: Infinity });
    const [a, b, c] = [alert({ severity: 'info' }), alert({ severity: 'info' }), alert({ severity: 'info' })];
    expect(t.router.receive(notification([a, b]), undefined).ok).toBe(true);
    // Alertmanager re-sends the group: a held alert's newer state takes its place, no room needed.
    expect(t.router.receive(notification([a, b]), undefined).ok).toBe(true);
    expect(t.router.receive(notification([c, alert({ severity: 'critical' })]), undefined)).toEqual({
      ok: false,
      reason: 'queue_full',
    });
    expect(t.sent).toEqual([]);
    expect(t.router.held.usage.entries).toBe(2);
    await expect(t.metrics.heldAlerts.get()).resolves.toMatchObject({ values: [{ value: 2 }] });

    await t.clock.advance(5 * 60 * MINUTE);
    expect(t.router.held.usage).toEqual({ entries: 0, bytes: 0 });
    await expect(t.metrics.heldAlertsBytes.get()).resolves.toMatchObject({ values: [{ value: 0 }] });
    expect(t.router.receive(notification([c]), undefined).ok).toBe(true);
  });

  it('count their bytes against the budget', () => {
    const t = setup([{ targets: ['auth'], active_hours: businessLA }], {}, NIGHT, { entries: Infinity, bytes: 4000 });
    const big = { ...alert({ severity: 'info' }), annotations: { description: 'x'.repeat(3000) } };
    expect(t.router.receive(notification([big]), undefined).ok).toBe(true);
    expect(t.router.held.usage.bytes).toBeGreaterThan(3000);
    const again = { ...alert({ severity: 'info' }), annotations: { description: 'y'.repeat(3000) } };
    expect(t.router.receive(notification([again]), undefined)).toEqual({ ok: false, reason: 'queue_full' });
  });

  it('keep only what the later message needs, not the notification they came in', async () => {
    const t = setup([{ targets: ['auth'], active_hours: businessLA }], {}, NIGHT);
    const held = { ...alert({ severity: 'warning' }), extra: 'x'.repeat(1000) };
    const others = Array.from({ length: 50 }, () => ({
      ...alert({ severity: 'critical' }),
      annotations: { description: 'z'.repeat(2000) },
    }));
    const n = { ...notification([held, ...others]), notification_reason: 'x'.repeat(1000) };
    t.router.receive(n, undefined);
    // The 50 critical alerts went at once; what is held is one alert and its group's identity.
    expect(t.router.held.usage.bytes).toBeLessThan(600);
    await t.clock.advance(5 * 60 * MINUTE);
    const released = t.sent[1]!.n;
    const { extra: _, ...compact } = held;
    expect(released).not.toHaveProperty('notification_reason');
    expect(released.alerts).toEqual([compact]);
    expect(released).toMatchObject({ groupKey: n.groupKey, receiver: 'am', externalURL: 'http://am' });
  });

  it('at shutdown are dead-lettered, and a stopped router refuses what it would hold and never send', () => {
    const t = setup([{ targets: ['auth'], active_hours: businessLA }], {}, NIGHT);
    const [a, b] = [alert({ severity: 'info' }), alert({ severity: 'info' })];
    t.router.receive(notification([a, b]), undefined);
    t.router.stop();
    expect(t.deadLetters.map((d) => [d.target, d.n.alerts.map((x) => x.fingerprint)])).toEqual([
      ['auth', [a.fingerprint, b.fingerprint]],
    ]);
    expect(t.router.held.usage).toEqual({ entries: 0, bytes: 0 });
    expect(t.router.receive(notification([alert({ severity: 'info' })]), undefined)).toEqual({
      ok: false,
      reason: 'shutting_down',
    });
    expect(t.router.held.size).toBe(0);
    expect(t.sent).toEqual([]);
  });

  it('deliver-silent sets SUPPRESS_NOTIFICATIONS on the job', async () => {
    const t = setup(
      [{ targets: ['auth'], active_hours: { ...businessLA, outside: 'deliver-silent' as const } }],
      {},
      NIGHT,
    );
    t.router.receive(notification([alert({ severity: 'warning' })]), undefined);
    expect(t.sent[0]?.options).toEqual({ flags: 1 << 12 });
    await expect(t.metrics.alertsOutsideActiveHours.get()).resolves.toMatchObject({
      values: [{ labels: { target: 'auth', action: 'deliver-silent' }, value: 1 }],
    });
  });
});

describe('escalation', () => {
  const routes = [
    {
      name: 'payments',
      matchers: ['service="payment-service"'],
      targets: ['fintech'],
      escalation: {
        severities: ['critical'],
        steps: [
          { after: '5m', targets: ['platform-team'] },
          { after: '10m', targets: ['oncall-sre'] },
        ],
      },
    },
  ];

  it('posts a still-firing critical alert to the next target at each step, with a note', async () => {
    const t = setup(routes);
    const crit = alert({ service: 'payment-service', severity: 'critical' });
    const warn = alert({ service: 'payment-service', severity: 'warning' });
    t.router.receive(notification([crit, warn]), undefined);
    expect(t.router.escalations.pending).toBe(1);

    await t.clock.advance(4 * MINUTE);
    // Alertmanager re-sends the group: that does not restart the clock
    t.router.receive(notification([crit, warn]), undefined);
    await t.clock.advance(MINUTE);
    expect(t.summary().slice(2)).toEqual([{ targets: ['platform-team'], alerts: [`${crit.fingerprint}:firing`] }]);
    expect(t.sent[2]?.options?.note).toMatch(/still firing after 5m/);

    await t.clock.advance(5 * MINUTE);
    expect(t.summary().slice(3)).toEqual([{ targets: ['oncall-sre'], alerts: [`${crit.fingerprint}:firing`] }]);
    expect(t.sent[3]?.options?.note).toMatch(/after 10m/);
    expect(t.router.escalations.pending).toBe(0);
    await t.clock.advance(60 * MINUTE);
    expect(t.sent).toHaveLength(4);
  });

  it('is cancelled by the resolution', async () => {
    const t = setup(routes);
    const crit = alert({ service: 'payment-service', severity: 'critical' });
    t.router.receive(notification([crit]), undefined);
    await t.clock.advance(6 * MINUTE);
    expect(t.sent.map((s) => s.targets)).toEqual([['fintech'], ['platform-team']]);
    t.router.receive(notification([{ ...crit, status: 'resolved' }]), undefined);
    expect(t.router.escalations.pending).toBe(0);
    await t.clock.advance(30 * MINUTE);
    expect(t.sent.map((s) => s.targets)).toEqual([['fintech'], ['platform-team'], ['fintech']]);
  });

  it('frees an entry once its last step has fired; repeats of that episode do not restart it', async () => {
    const t = setup(routes);
    const crit = alert({ service: 'payment-service', severity: 'critical' });
    t.router.receive(notification([crit]), undefined);
    expect(t.router.escalations.usage.entries).toBe(1);
    await t.clock.advance(10 * MINUTE);
    expect(t.sent.map((s) => s.targets)).toEqual([['fintech'], ['platform-team'], ['oncall-sre']]);
    expect(t.router.escalations.usage).toEqual({ entries: 0, bytes: 0 });

    t.router.receive(notification([crit]), undefined);
    expect(t.router.escalations.usage.entries).toBe(0);
    await t.clock.advance(60 * MINUTE);
    expect(t.sent).toHaveLength(4);

    // It resolved without alertcord hearing of it and fires again: a new episode, a new chain.
    t.router.receive(notification([{ ...crit, startsAt: '2026-03-02T12:00:00Z' }]), undefined);
    await t.clock.advance(5 * MINUTE);
    expect(t.sent.map((s) => s.targets).slice(4)).toEqual([['fintech'], ['platform-team']]);
  });

  it('are refused (queue_full) beyond the shared budget, and a resolution frees their room', () => {
    const t = setup(routes, {}, undefined, { entries: 1, bytes: Infinity });
    const [a, b] = [
      alert({ service: 'payment-service', severity: 'critical' }),
      alert({ service: 'payment-service', severity: 'critical' }),
    ];
    expect(t.router.receive(notification([a]), undefined).ok).toBe(true);
    expect(t.router.receive(notification([b]), undefined)).toEqual({ ok: false, reason: 'queue_full' });
    expect(t.sent).toHaveLength(1);
    t.router.receive(notification([{ ...a, status: 'resolved' }]), undefined);
    expect(t.router.escalations.usage).toEqual({ entries: 0, bytes: 0 });
    expect(t.router.receive(notification([b]), undefined).ok).toBe(true);
  });
});
