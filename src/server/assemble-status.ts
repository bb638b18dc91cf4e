import type { ResolvedTarget } from '../config/load.js';
import type { DeliverySnapshot } from '../delivery/delivery-snapshot.js';
import type { Job } from '../delivery/job.js';
import { PRIORITIES, type Priority } from '../shared/severity.js';
import type { ClusterStatus, StatusSnapshot, TargetStatus } from './status.js';

export interface StatusSources {
  now: number;
  targets: Iterable<ResolvedTarget>;
  delivery: DeliverySnapshot;
  config: StatusSnapshot['config'];
  /** Undefined when no heartbeat is configured. */
  heartbeat: { alertname: string; timeoutMs: number; lastSeenMs: number | undefined; silent: boolean } | undefined;
  /** Undefined in single mode (no Redis). */
  cluster?: ClusterStatus | undefined;
}

const SINGLE: ClusterStatus = { role: 'single', leaseHolder: null, streamLength: 0, pending: 0 };

const RECENT = 50;
const iso = (ms: number) => new Date(ms).toISOString();

function queueOf(jobs: readonly Job[], now: number): TargetStatus['queue'] {
  const depth = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  let oldest: number | undefined;
  for (const job of jobs) {
    depth[job.priority] += 1;
    oldest = Math.min(oldest ?? job.receivedAt, job.receivedAt);
  }
  return { depth, oldestAgeMs: oldest === undefined ? null : Math.max(0, now - oldest) };
}

/**
 * Builds the status page's snapshot: one row per target and webhook of its pool (one row
 * for a dry-run target), with the target's queue. Every configured target appears, used or not.
 */
export function assembleStatus(s: StatusSources): StatusSnapshot {
  const queuedFor = new Map<string, Job[]>();
  for (const job of s.delivery.jobs) {
    const list = queuedFor.get(job.target.name);
    if (list) list.push(job);
    else queuedFor.set(job.target.name, [job]);
  }
  const targets: TargetStatus[] = [...s.targets].flatMap((t) => {
    const queue = queueOf(queuedFor.get(t.name) ?? [], s.now);
    if (t.webhooks.length === 0) {
      const dryRun: TargetStatus = {
        target: t.name,
        webhookId: null,
        dryRun: true,
        bucket: null,
        breaker: { state: 'closed', reason: null, retryInMs: null },
        webhookGone: null,
        queue,
      };
      return [dryRun];
    }
    return t.webhooks.map((w): TargetStatus => {
      const e = s.delivery.endpoints.find((x) => x.target === t.name && x.webhookId === w.id);
      const open = e !== undefined && e.breaker.state !== 'closed';
      return {
        target: t.name,
        webhookId: w.id,
        dryRun: false,
        bucket: e
          ? { remaining: e.bucket.remaining, limit: e.bucket.limit ?? null, resetInMs: e.bucket.resetInMs }
          : null,
        breaker: {
          state: e?.breaker.state ?? 'closed',
          reason: open ? 'consecutive failures (5xx, network errors)' : null,
          retryInMs: open ? e.breaker.retryInMs : null,
        },
        webhookGone: e?.gone ?? null,
        queue,
      };
    });
  });
  return {
    generatedAt: iso(s.now),
    queue: { total: s.delivery.queued, limit: s.delivery.queueLimit },
    targets,
    recentDeliveries: s.delivery.recentAttempts
      .slice(-RECENT)
      .reverse()
      .map((a) => ({ ...a, at: iso(a.at), webhookId: a.webhookId ?? null, status: a.status ?? null })),
    deadLetters: {
      total: s.delivery.deadLettersTotal,
      recent: s.delivery.deadLetters
        .slice(-RECENT)
        .reverse()
        .map((d) => ({ ...d, webhookId: d.webhookId ?? null })),
    },
    config: s.config,
    heartbeat: s.heartbeat
      ? {
          alertname: s.heartbeat.alertname,
          timeoutMs: s.heartbeat.timeoutMs,
          lastSeen: s.heartbeat.lastSeenMs === undefined ? null : iso(s.heartbeat.lastSeenMs),
          silent: s.heartbeat.silent,
        }
      : null,
    cluster: s.cluster ?? SINGLE,
  };
}
