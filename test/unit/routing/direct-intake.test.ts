import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/alertmanager/payload.js';
import { DirectIntake } from '../../../src/routing/direct-intake.js';
import type { RouteResult } from '../../../src/routing/router.js';
import { alert, notification } from './fixtures.js';

function intake(result: RouteResult, heartbeat = false) {
  const routed: { n: Notification; path: string | undefined }[] = [];
  const observer = {
    observe: (n: Notification) => {
      const rest = n.alerts.filter((a) => a.labels.alertname !== 'Watchdog');
      return rest.length > 0 ? { ...n, alerts: rest } : undefined;
    },
  };
  const direct = new DirectIntake({
    route: (n, path) => {
      routed.push({ n, path });
      return result;
    },
    heartbeat: heartbeat ? observer : undefined,
    retryAfterSeconds: 30,
  });
  return { direct, routed };
}

describe('DirectIntake', () => {
  it('hands the notification to the router and answers queued with its targets and alert counts', async () => {
    const t = intake({ ok: true, targets: ['team'], routed: true });
    const n = notification([alert({}), alert({}, 'resolved'), alert({})]);
    await expect(t.direct.take(n, 'payments')).resolves.toEqual({
      kind: 'queued',
      targets: ['team'],
      routed: true,
      alerts: { firing: 2, resolved: 1 },
    });
    expect(t.routed).toEqual([{ n, path: 'payments' }]);
  });

  it('takes heartbeat alerts out first: a beat alone is not routed', async () => {
    const t = intake({ ok: true, targets: ['team'], routed: true }, true);
    await expect(t.direct.take(notification([alert({ alertname: 'Watchdog' })]), undefined)).resolves.toEqual({
      kind: 'heartbeat',
    });
    expect(t.routed).toEqual([]);
    const mixed = notification([alert({ alertname: 'Watchdog' }), alert({})]);
    await expect(t.direct.take(mixed, undefined)).resolves.toMatchObject({ alerts: { firing: 1, resolved: 0 } });
    expect(t.routed[0]!.n.alerts).toHaveLength(1);
  });

  it('answers full or stopped with the retry-after when the router refuses', async () => {
    const n = notification([alert({})]);
    await expect(intake({ ok: false, reason: 'queue_full' }).direct.take(n, undefined)).resolves.toEqual({
      kind: 'full',
      retryAfterSeconds: 30,
    });
    await expect(intake({ ok: false, reason: 'shutting_down' }).direct.take(n, undefined)).resolves.toEqual({
      kind: 'stopped',
      retryAfterSeconds: 30,
    });
  });
});
