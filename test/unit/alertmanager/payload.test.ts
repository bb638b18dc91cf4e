import { describe, expect, it } from 'vitest';
import { ALERTS_PER_STEP, parseNotification, parseNotificationInSteps } from '../../../src/alertmanager/payload.js';
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

describe('the label check', () => {
  it('reports zod’s own issues for a label set that is not all strings', () => {
    const body = fixture('firing') as unknown as { alerts: Record<string, unknown>[] };
    body.alerts[1]!.labels = { a: 1, b: 'ok', c: null };
    body.alerts[0]!.annotations = ['x'];
    const result = parseNotification(body);
    expect(result.ok ? [] : result.issues).toEqual([
      { path: 'alerts[0].annotations', message: 'Invalid input: expected record, received array' },
      { path: 'alerts[1].labels.a', message: 'Invalid input: expected string, received number' },
      { path: 'alerts[1].labels.c', message: 'Invalid input: expected string, received null' },
    ]);
  });

  it('takes a valid label set as parsed, without zod copying it key by key', () => {
    const body = fixture('firing');
    const labels = body.alerts[0]!.labels;
    const result = parseNotification(body);
    expect(result.ok && result.notification.alerts[0]!.labels).toBe(labels);
  });
});

describe('parseNotificationInSteps', () => {
  const storm = (alerts: number) => {
    const body = fixture('firing');
    const one = body.alerts[0]!;
    body.alerts = Array.from({ length: alerts }, (_, i) => ({ ...one, fingerprint: `fp${i}` }));
    return body;
  };

  it('lets the event loop turn between chunks of alerts, and decides as parseNotification does', async () => {
    const body = storm(ALERTS_PER_STEP * 3);
    let turns = 0;
    let done = false;
    const tick = () => {
      turns++;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await parseNotificationInSteps(structuredClone(body));
    done = true;
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(result).toEqual(parseNotification(structuredClone(body)));
  });

  it('reports issues with the alert’s index past the first chunk', async () => {
    const body = storm(ALERTS_PER_STEP + 2) as unknown as { alerts: Record<string, unknown>[] };
    body.alerts[ALERTS_PER_STEP + 1]!.startsAt = 'yesterday';
    const result = await parseNotificationInSteps(body);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual([`alerts[${ALERTS_PER_STEP + 1}].startsAt`]);
  });
});
