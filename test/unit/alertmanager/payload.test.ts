import { describe, expect, it } from 'vitest';
import { parseNotification } from '../../../src/alertmanager/payload.js';
import { fixture } from '../../fixtures/index.js';

describe('parseNotification', () => {
  it('accepts a valid Alertmanager payload', () => {
    const result = parseNotification(fixture('firing'));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.notification.alerts).toHaveLength(2);
      expect(result.notification.alerts[0]?.fingerprint).toBe('c0ffee1234abcd56');
    }
  });

  it('accepts unknown extra fields from newer Alertmanager versions and keeps them', () => {
    const body = { ...fixture('firing'), notification_reason: 'new', routeLabels: { team: 'x' } };
    body.alerts[0] = { ...body.alerts[0], somethingNew: 1 };
    const result = parseNotification(body);
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.notification as Record<string, unknown>).notification_reason).toBe('new');
  });

  it('accepts nanosecond timestamps as Alertmanager sends them', () => {
    const body = fixture('firing');
    body.alerts[0]!.startsAt = '2026-12-01T02:23:18.080709975Z';
    expect(parseNotification(body).ok).toBe(true);
  });

  it('fills defaults for optional fields', () => {
    const body = fixture('firing');
    delete body.truncatedAlerts;
    delete body.alerts[0]!.annotations;
    const result = parseNotification(body);
    expect(result.ok && result.notification.truncatedAlerts).toBe(0);
    expect(result.ok && result.notification.alerts[0]?.annotations).toEqual({});
  });

  it.each([
    ['version', (b: Record<string, unknown>) => (b.version = '3'), 'version'],
    ['missing groupKey', (b: Record<string, unknown>) => delete b.groupKey, 'groupKey'],
    ['bad status', (b: Record<string, unknown>) => (b.status = 'burning'), 'status'],
    ['no alerts', (b: Record<string, unknown>) => (b.alerts = []), 'alerts'],
    [
      'label not a string',
      (b: { alerts: Record<string, unknown>[] }) => (b.alerts[1]!.labels = { a: 1 }),
      'alerts[1].labels.a',
    ],
    [
      'bad startsAt',
      (b: { alerts: Record<string, unknown>[] }) => (b.alerts[0]!.startsAt = 'yesterday'),
      'alerts[0].startsAt',
    ],
  ] as const)('rejects %s with the field path', (_name, mutate, path) => {
    const body = fixture('firing');
    mutate(body as never);
    const result = parseNotification(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });

  it('rejects non-objects', () => {
    for (const body of [null, 42, 'x', []]) expect(parseNotification(body).ok).toBe(false);
  });
});
