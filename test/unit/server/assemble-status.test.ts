import { describe, expect, it } from 'vitest';
import { parseNotification, type Notification } from '../../../src/alertmanager/payload.js';
import type { ResolvedTarget } from '../../../src/config/load.js';
import type { DeliverySnapshot } from '../../../src/delivery/delivery.js';
import type { Job } from '../../../src/delivery/job.js';
import { Webhook } from '../../../src/discord/webhook.js';
import { createSeverityModel } from '../../../src/routing/severity.js';
import { assembleStatus, type StatusSources } from '../../../src/server/assemble-status.js';
import { statusSnapshotSchema } from '../../../src/server/status.js';
import { fixture } from '../../fixtures/index.js';

const NOW = Date.parse('2026-12-01T03:00:00Z');
const hook = Webhook.fromParts('111111111111111111', 't'.repeat(68));
const target = (name: string, webhook: Webhook | undefined): ResolvedTarget => ({
  name,
  template: 'default',
  dry_run: webhook === undefined,
  webhook,
});
const team = target('team', hook);
// Two targets sharing one webhook share its lane and its bucket.
const sre = target('sre', hook);
const local = target('local', undefined);

/** A notification whose alerts carry these severities and statuses. */
function notification(alerts: [severity: string | undefined, status: 'firing' | 'resolved'][]): Notification {
  const body = fixture('firing');
  const first = body.alerts[0]!;
  body.commonLabels = {};
  body.alerts = alerts.map(([severity, status], i) => ({
    ...first,
    status,
    labels: { alertname: 'A', ...(severity ? { severity } : {}) },
    fingerprint: `f${i}`,
  }));
  const parsed = parseNotification(body);
  if (!parsed.ok) throw new Error('bad notification');
  return parsed.notification;
}

const job = (t: ResolvedTarget, n: Notification, ageMs: number): Job => ({
  id: 1,
  target: t,
  notification: n,
  receivedAt: NOW - ageMs,
  attempts: 0,
  parts: undefined,
  sent: 0,
});

function sources(delivery: Partial<DeliverySnapshot>): StatusSources {
  return {
    now: NOW,
    targets: [team, sre, local],
    delivery: {
      queued: 0,
      queueLimit: 100,
      lanes: [],
      recentAttempts: [],
      deadLetters: [],
      deadLettersTotal: 0,
      ...delivery,
    },
    severities: createSeverityModel(),
    config: { source: 'test', version: 'abc', lastReload: { at: new Date(NOW).toISOString(), ok: true, error: null } },
    heartbeat: undefined,
  };
}

describe('assembleStatus', () => {
  it('lists every configured target, used or not, with what its lane knows', () => {
    const status = assembleStatus(
      sources({
        lanes: [
          {
            webhookId: hook.id,
            bucket: { remaining: 0, limit: 5, resetInMs: 1200 },
            webhookGone: 'gone for good',
            queued: [],
          },
        ],
      }),
    );
    expect(statusSnapshotSchema.parse(status)).toEqual(status);
    expect(status.targets.map((t) => [t.target, t.webhookId, t.dryRun, t.bucket, t.webhookGone])).toEqual([
      ['team', hook.id, false, { remaining: 0, limit: 5, resetInMs: 1200 }, 'gone for good'],
      ['sre', hook.id, false, { remaining: 0, limit: 5, resetInMs: 1200 }, 'gone for good'],
      ['local', null, true, null, null],
    ]);
    expect(status.targets.every((t) => t.breaker.state === 'closed')).toBe(true);
  });

  it('counts queued messages per target by their most urgent firing alert, and their oldest age', () => {
    const status = assembleStatus(
      sources({
        queued: 5,
        lanes: [
          {
            webhookId: hook.id,
            bucket: { remaining: 1, limit: undefined, resetInMs: 0 },
            webhookGone: undefined,
            queued: [
              job(
                team,
                notification([
                  ['info', 'firing'],
                  ['critical', 'firing'],
                ]),
                3000,
              ),
              // A resolved critical does not make the message critical.
              job(
                team,
                notification([
                  ['critical', 'resolved'],
                  ['warning', 'firing'],
                ]),
                1000,
              ),
              job(team, notification([['error', 'resolved']]), 500),
              job(sre, notification([[undefined, 'firing']]), 9000),
            ],
          },
          {
            webhookId: undefined,
            bucket: { remaining: 1, limit: undefined, resetInMs: 0 },
            webhookGone: undefined,
            queued: [job(local, notification([['none', 'firing']]), 10)],
          },
        ],
      }),
    );
    const queue = Object.fromEntries(status.targets.map((t) => [t.target, t.queue]));
    expect(queue.team).toEqual({ depth: { critical: 1, high: 1, normal: 1, low: 0 }, oldestAgeMs: 3000 });
    expect(queue.sre).toEqual({ depth: { critical: 0, high: 0, normal: 1, low: 0 }, oldestAgeMs: 9000 });
    expect(queue.local).toEqual({ depth: { critical: 0, high: 0, normal: 0, low: 1 }, oldestAgeMs: 10 });
    expect(status.queue).toEqual({ total: 5, limit: 100 });
  });

  it('lists recent deliveries and dead letters newest first, bounded, as JSON', () => {
    const attempts = Array.from({ length: 60 }, (_, i) => ({
      at: NOW - (60 - i) * 1000,
      target: 'team',
      webhookId: i % 2 ? hook.id : undefined,
      alerts: 1,
      latencyMs: i,
      result: 'ok' as const,
      status: i % 3 ? 200 : undefined,
    }));
    const letter = {
      at: new Date(NOW).toISOString(),
      target: 'local',
      webhookId: undefined,
      reason: 'render_failed' as const,
      detail: 'boom',
      groupKey: 'g',
      alerts: [{ fingerprint: 'f0', status: 'firing', alertname: undefined }],
    };
    const status = assembleStatus(
      sources({ recentAttempts: attempts, deadLetters: [letter, { ...letter, groupKey: 'h' }], deadLettersTotal: 7 }),
    );
    expect(statusSnapshotSchema.parse(status)).toBeTruthy();
    expect(status.recentDeliveries).toHaveLength(50);
    expect(status.recentDeliveries[0]).toEqual({
      at: new Date(NOW - 1000).toISOString(),
      target: 'team',
      webhookId: hook.id,
      alerts: 1,
      latencyMs: 59,
      result: 'ok',
      status: 200,
    });
    expect(status.recentDeliveries.at(-1)!.latencyMs).toBe(10);
    expect(status.deadLetters.total).toBe(7);
    expect(status.deadLetters.recent.map((d) => [d.groupKey, d.webhookId])).toEqual([
      ['h', null],
      ['g', null],
    ]);
  });

  it('shows the heartbeat: null when none is configured, last seen null until the first one', () => {
    expect(assembleStatus(sources({})).heartbeat).toBeNull();
    const base = { alertname: 'Watchdog', timeoutMs: 600_000, silent: false };
    expect(assembleStatus({ ...sources({}), heartbeat: { ...base, lastSeenMs: undefined } }).heartbeat).toEqual({
      ...base,
      lastSeen: null,
    });
    expect(
      assembleStatus({ ...sources({}), heartbeat: { ...base, silent: true, lastSeenMs: NOW - 60_000 } }).heartbeat,
    ).toEqual({ ...base, silent: true, lastSeen: '2026-12-01T02:59:00.000Z' });
  });
});
