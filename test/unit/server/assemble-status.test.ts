import { describe, expect, it } from 'vitest';
import { parseNotification, type Notification } from '../../../src/alertmanager/payload.js';
import type { ResolvedTarget } from '../../../src/config/load.js';
import type { DeliverySnapshot } from '../../../src/delivery/delivery-snapshot.js';
import { jobPriority, type Job } from '../../../src/delivery/job.js';
import { Webhook } from '../../../src/discord/webhook.js';
import { createSeverityModel } from '../../../src/shared/severity.js';
import { assembleStatus, type StatusSources } from '../../../src/server/assemble-status.js';
import { statusSnapshotSchema } from '../../../src/server/status.js';
import { fixture } from '../../fixtures/index.js';

const NOW = Date.parse('2026-12-01T03:00:00Z');
const hook = Webhook.fromParts('111111111111111111', 't'.repeat(68));
const target = (name: string, webhooks: Webhook[]): ResolvedTarget => ({
  name,
  template: 'default',
  dry_run: webhooks.length === 0,
  webhooks,
});
const spare = Webhook.fromParts('222222222222222222', 's'.repeat(68));
// A pool of two webhooks: one row each.
const team = target('team', [hook, spare]);
const sre = target('sre', [hook]);
const local = target('local', []);

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

const severities = createSeverityModel();
const job = (t: ResolvedTarget, n: Notification, ageMs: number): Job => ({
  id: 1,
  target: t,
  notification: n,
  priority: jobPriority(n, severities),
  receivedAt: NOW - ageMs,
  bytes: 100,
  attempts: 0,
  notBefore: 0,
  parts: undefined,
  sent: 0,
  webhookId: undefined,
});

function sources(delivery: Partial<DeliverySnapshot>): StatusSources {
  return {
    now: NOW,
    targets: [team, sre, local],
    delivery: {
      queued: 0,
      queueLimit: 100,
      endpoints: [],
      jobs: [],
      recentAttempts: [],
      deadLetters: [],
      deadLettersTotal: 0,
      ...delivery,
    },
    config: {
      source: 'test',
      version: 'abc',
      lastReload: { at: new Date(NOW).toISOString(), ok: true, error: null },
      restartPending: [],
    },
    heartbeat: undefined,
  };
}

describe('assembleStatus', () => {
  it('lists every configured target and each webhook of its pool, with its bucket and breaker', () => {
    const status = assembleStatus(
      sources({
        endpoints: [
          {
            target: 'team',
            webhookId: hook.id,
            bucket: { remaining: 0, limit: 5, resetInMs: 1200 },
            breaker: { state: 'open', retryInMs: 9000 },
            gone: undefined,
          },
          {
            target: 'team',
            webhookId: spare.id,
            bucket: { remaining: 4, limit: 5, resetInMs: 0 },
            breaker: { state: 'closed', retryInMs: 0 },
            gone: 'gone for good',
          },
        ],
      }),
    );
    expect(statusSnapshotSchema.parse(status)).toEqual(status);
    expect(
      status.targets.map((t) => [t.target, t.webhookId, t.dryRun, t.bucket?.remaining ?? null, t.webhookGone]),
    ).toEqual([
      ['team', hook.id, false, 0, null],
      ['team', spare.id, false, 4, 'gone for good'],
      ['sre', hook.id, false, null, null],
      ['local', null, true, null, null],
    ]);
    expect(status.targets[0]!.breaker).toMatchObject({ state: 'open', retryInMs: 9000 });
    expect(status.targets[1]!.breaker).toEqual({ state: 'closed', reason: null, retryInMs: null });
  });

  it('counts queued messages per target by priority, and their oldest age', () => {
    const status = assembleStatus(
      sources({
        queued: 5,
        jobs: [
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
          job(local, notification([['none', 'firing']]), 10),
        ],
      }),
    );
    const queue = Object.fromEntries(status.targets.map((t) => [t.target, t.queue]));
    expect(queue.team).toEqual({ depth: { critical: 1, high: 0, normal: 2, low: 0 }, oldestAgeMs: 3000 });
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
      priority: 'normal' as const,
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
