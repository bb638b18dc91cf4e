import type { Notification } from '../alertmanager/payload.js';
import type { ResolvedTarget } from '../config/load.js';
import type { DeliverySnapshot } from '../delivery/delivery.js';
import type { Job } from '../delivery/job.js';
import { PRIORITIES, priorityRank, type Priority, type SeverityModel } from '../routing/severity.js';
import type { StatusSnapshot, TargetStatus } from './status.js';

export interface StatusSources {
  now: number;
  targets: Iterable<ResolvedTarget>;
  delivery: DeliverySnapshot;
  severities: SeverityModel;
  config: StatusSnapshot['config'];
  /** Undefined when no heartbeat is configured. */
  heartbeat: { alertname: string; timeoutMs: number; lastSeenMs: number | undefined; silent: boolean } | undefined;
}

const RECENT = 50;
const iso = (ms: number) => new Date(ms).toISOString();

/** The most urgent severity among the alerts decides, firing ones first. */
function priorityOf(n: Notification, severities: SeverityModel): Priority {
  const firing = n.alerts.filter((a) => a.status === 'firing');
  const alerts = firing.length > 0 ? firing : n.alerts;
  return alerts
    .map((a) => severities.priority(a.labels.severity ?? n.commonLabels.severity))
    .reduce((best, p) => (priorityRank(p) > priorityRank(best) ? p : best), 'low');
}

function queueOf(jobs: readonly Job[], now: number, severities: SeverityModel): TargetStatus['queue'] {
  const depth = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  let oldest: number | undefined;
  for (const job of jobs) {
    depth[priorityOf(job.notification, severities)] += 1;
    oldest = Math.min(oldest ?? job.receivedAt, job.receivedAt);
  }
  return { depth, oldestAgeMs: oldest === undefined ? null : Math.max(0, now - oldest) };
}

/**
 * Builds the status page's snapshot from what delivery exposes today: lanes per webhook,
 * no breaker yet (always closed). Every configured target appears, used or not.
 */
export function assembleStatus(s: StatusSources): StatusSnapshot {
  const lanes = s.delivery.lanes;
  const queuedFor = new Map<string, Job[]>();
  for (const job of lanes.flatMap((l) => l.queued)) {
    const list = queuedFor.get(job.target.name);
    if (list) list.push(job);
    else queuedFor.set(job.target.name, [job]);
  }
  const targets: TargetStatus[] = [...s.targets].map((t) => {
    const lane = t.webhook ? lanes.find((l) => l.webhookId === t.webhook?.id) : undefined;
    const jobs = queuedFor.get(t.name) ?? [];
    return {
      target: t.name,
      webhookId: t.webhook?.id ?? null,
      dryRun: t.webhook === undefined,
      bucket: lane
        ? { remaining: lane.bucket.remaining, limit: lane.bucket.limit ?? null, resetInMs: lane.bucket.resetInMs }
        : null,
      breaker: { state: 'closed', reason: null, retryInMs: null },
      webhookGone: lane?.webhookGone ?? null,
      queue: queueOf(jobs, s.now, s.severities),
    };
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
  };
}
