import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/alertmanager/payload.js';
import { routeAlerts } from '../../../src/routing/route-alerts.js';
import { subNotification } from '../../../src/routing/sub-notification.js';
import { alert, config, notification } from './fixtures.js';

const MONDAY_NOON_UTC = Date.parse('2026-03-02T12:00:00Z');
/** Which alert (by index) went to which target, for compact assertions. */
function who(decision: ReturnType<typeof routeAlerts>, n: Notification) {
  return Object.fromEntries(decision.deliver.map((d) => [d.target.name, d.alerts.map((a) => n.alerts.indexOf(a))]));
}

describe('routing alerts to targets', () => {
  it('evaluates routes in order: the first match wins, continue goes on, the catch-all takes the rest', () => {
    const c = config([
      { matchers: ['team="payments"'], targets: ['payments'], continue: true },
      { matchers: ['severity="critical"'], targets: ['dr'] },
      { matchers: ['team="payments"'], targets: ['never'] },
      { targets: ['catch-all'] },
    ]);
    const n = notification([
      alert({ team: 'payments', severity: 'critical' }),
      alert({ team: 'payments', severity: 'warning' }),
      alert({ team: 'search', severity: 'critical' }),
      alert({ team: 'search', severity: 'info' }),
    ]);
    expect(who(routeAlerts(c, n, undefined, MONDAY_NOON_UTC), n)).toEqual({
      payments: [0, 1],
      dr: [0, 2],
      never: [1],
      'catch-all': [3],
    });
  });

  it('matches receiver and path, and reports alerts no route matched', () => {
    const c = config([
      { receiver: 'pager', targets: ['pager'] },
      { path: 'staging', targets: ['staging'] },
      { receiver: 'am', matchers: ['env!~"prod|staging"'], targets: ['dev'] },
    ]);
    const n = notification([alert({ env: 'prod' }), alert({})]);
    const d = routeAlerts(c, n, undefined, MONDAY_NOON_UTC);
    expect(who(d, n)).toEqual({ dev: [1] });
    expect(d.unrouted).toEqual([n.alerts[0]]);
    expect(who(routeAlerts(c, n, 'staging', MONDAY_NOON_UTC), n)).toEqual({ staging: [0, 1] });
    expect(who(routeAlerts(c, notification(n.alerts, 'pager'), 'staging', MONDAY_NOON_UTC), n)).toEqual({
      pager: [0, 1],
    });
  });

  it("fans out, filters by each target's severities, and lists a target reached twice once", () => {
    const c = config(
      [
        { matchers: ['service="payment-service"'], targets: ['fintech', 'dr'], continue: true },
        { matchers: ['service=~"payment-.*"'], targets: ['fintech'] },
      ],
      {
        fintech: { dry_run: true, severities: ['critical', 'warning'] },
        dr: { dry_run: true, severities: ['Critical'] },
      },
    );
    const n = notification([
      alert({ service: 'payment-service', severity: 'critical' }),
      alert({ service: 'payment-service', severity: 'warning' }),
      alert({ service: 'payment-service', severity: 'info' }),
    ]);
    const d = routeAlerts(c, n, undefined, MONDAY_NOON_UTC);
    expect(who(d, n)).toEqual({ fintech: [0, 1], dr: [0] });
    expect(d.unrouted).toEqual([]);
  });

  it('outside active hours: drop, hold until the window opens, or deliver silently; exemptions deliver', () => {
    const hours = (outside: string) => ({
      time_zone: 'America/Los_Angeles',
      weekdays: ['monday:friday'],
      times: [{ start_time: '09:00', end_time: '17:00' }],
      outside,
      exempt_severities: ['critical'],
    });
    const c = config(
      [
        { matchers: ['team="a"'], targets: ['a'], active_hours: hours('hold') as never },
        { matchers: ['team="b"'], targets: ['b'] },
        { matchers: ['team="c"'], targets: ['c'], active_hours: hours('drop') as never },
      ],
      { b: { dry_run: true, active_hours: hours('deliver-silent') as never } },
    );
    const n = notification([
      alert({ team: 'a', severity: 'warning' }),
      alert({ team: 'a', severity: 'critical' }),
      alert({ team: 'b', severity: 'warning' }),
      alert({ team: 'c', severity: 'warning' }),
    ]);
    // Monday 12:00 UTC is 04:00 in Los Angeles
    const night = routeAlerts(c, n, undefined, MONDAY_NOON_UTC);
    expect(who(night, n)).toEqual({ a: [1], b: [2] });
    expect(night.deliver.find((x) => x.target.name === 'b')?.silent).toBe(true);
    expect(night.deliver.find((x) => x.target.name === 'a')?.silent).toBe(false);
    expect(
      night.hold.map((h) => [h.target.name, n.alerts.indexOf(h.alert), new Date(h.releaseAt).toISOString()]),
    ).toEqual([['a', 0, '2026-03-02T17:00:00.000Z']]);
    expect(night.dropped.map((x) => [x.target.name, n.alerts.indexOf(x.alert)])).toEqual([['c', 3]]);

    const day = routeAlerts(c, n, undefined, Date.parse('2026-03-02T18:00:00Z'));
    expect(who(day, n)).toEqual({ a: [0, 1], b: [2], c: [3] });
    expect(day.deliver.every((x) => !x.silent)).toBe(true);
    expect(day.hold).toEqual([]);
  });

  it('arms escalation for firing alerts of the listed severities only', () => {
    const c = config([
      {
        name: 'payments',
        matchers: ['service="payment-service"'],
        targets: ['fintech'],
        escalation: { steps: [{ after: '5m', targets: ['platform'] }] },
      },
      { targets: ['platform'] },
    ]);
    const n = notification([
      alert({ service: 'payment-service', severity: 'critical' }),
      alert({ service: 'payment-service', severity: 'warning' }),
      alert({ service: 'payment-service', severity: 'critical' }, 'resolved'),
    ]);
    const d = routeAlerts(c, n, undefined, MONDAY_NOON_UTC);
    expect(d.escalate.map((e) => [e.routeId, n.alerts.indexOf(e.alert)])).toEqual([['payments', 0]]);
  });
});

describe('sub-notifications', () => {
  it('keep the group identity and recompute status and common labels for the subset', () => {
    const a = alert({ service: 'pay', severity: 'critical', instance: '1' }, 'resolved');
    const b = alert({ service: 'pay', severity: 'warning', instance: '2' });
    const c = alert({ service: 'pay', severity: 'critical', instance: '3' }, 'resolved');
    const n = { ...notification([a, b, c]), commonLabels: { alertname: 'Test', service: 'pay' } };
    expect(subNotification(n, [a, b, c])).toBe(n);
    const sub = subNotification(n, [a, c]);
    expect(sub).toMatchObject({
      groupKey: n.groupKey,
      groupLabels: n.groupLabels,
      receiver: 'am',
      status: 'resolved',
      commonLabels: { alertname: 'Test', service: 'pay', severity: 'critical' },
      alerts: [a, c],
    });
  });
});
