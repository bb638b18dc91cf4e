import { z } from 'zod';
import { BREAKER_STATES } from '../delivery/breaker.js';
import { DEAD_LETTER_REASONS } from '../delivery/dead-letters.js';
import type { SendResult } from '../discord/send-result.js';
import { PRIORITIES } from '../shared/severity.js';

/**
 * What `GET /api/v1/status` answers and the status page shows: the contract between the
 * delivery scheduler (which fills it) and the page (which reads it). Webhooks appear by
 * numeric id only; nothing here may ever hold a token.
 *
 * Its imports stay free of Node: the browser code type-checks against these types.
 */

const SEND_RESULTS = [
  'ok',
  'rateLimited',
  'retryable',
  'gone',
  'unknownMessage',
  'archived',
  'rejected',
] as const satisfies readonly SendResult['kind'][];

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();

const breakerStateSchema = z.enum(BREAKER_STATES);

export const targetStatusSchema = z.object({
  /** The configured target's name. */
  target: z.string(),
  /** Numeric webhook id; null for a dry-run target. */
  webhookId: z.string().nullable(),
  dryRun: z.boolean(),
  /** What Discord last said about this webhook's budget; null until the first request. */
  bucket: z.object({ remaining: count, limit: count.nullable(), resetInMs: ms }).nullable(),
  breaker: z.object({
    state: breakerStateSchema,
    /** Why it opened, e.g. "5 consecutive 5xx"; null when closed. */
    reason: z.string().nullable(),
    /** When an open breaker lets a trial request through; null when closed. */
    retryInMs: ms.nullable(),
  }),
  /** Set once Discord said the webhook is deleted or its token revoked: nothing more is sent. */
  webhookGone: z.string().nullable(),
  queue: z.object({
    depth: z.record(z.enum(PRIORITIES), count),
    /** Age of the oldest message still waiting; null when the queue is empty. */
    oldestAgeMs: ms.nullable(),
  }),
});

export const deliveryRecordSchema = z.object({
  at: isoTime,
  target: z.string(),
  webhookId: z.string().nullable(),
  /** Alerts in the notification this request carried (a part of it when split). */
  alerts: count,
  latencyMs: ms,
  result: z.enum(SEND_RESULTS),
  /** HTTP status Discord answered; null for a network error or a dry-run. */
  status: z.number().int().nullable(),
});

/** A dead letter (src/delivery/dead-letters.ts) as JSON: the webhook id is null when absent. */
export const deadLetterSchema = z.object({
  at: isoTime,
  target: z.string(),
  webhookId: z.string().nullable(),
  reason: z.enum(DEAD_LETTER_REASONS),
  detail: z.string(),
  groupKey: z.string(),
  alerts: z.array(z.object({ fingerprint: z.string(), status: z.string(), alertname: z.string().optional() })),
});

export const statusSnapshotSchema = z.object({
  generatedAt: isoTime,
  queue: z.object({ total: count, limit: count }),
  /** One entry per target and webhook: a target with a pool of webhooks has one per webhook. */
  targets: z.array(targetStatusSchema),
  /** Newest first, bounded. */
  recentDeliveries: z.array(deliveryRecordSchema),
  /** Newest first, bounded; `total` counts every dead letter since start. */
  deadLetters: z.object({ total: count, recent: z.array(deadLetterSchema) }),
  config: z.object({
    /** A file path, or "embedded default". */
    source: z.string(),
    /** Short hash of the effective config: changes when a reload changes anything. */
    version: z.string(),
    /** The latest load or reload attempt; the initial load counts as one. */
    lastReload: z.object({ at: isoTime, ok: z.boolean(), error: z.string().nullable() }),
    /** Keys changed since start that only a restart applies, e.g. `server.port` (docs/reload.md). */
    restartPending: z.array(z.string()),
  }),
  /** Null when no heartbeat is configured. */
  heartbeat: z
    .object({
      alertname: z.string(),
      timeoutMs: ms,
      /** Null until the first heartbeat since start. */
      lastSeen: isoTime.nullable(),
      silent: z.boolean(),
    })
    .nullable(),
  /**
   * Who dispatches: with Redis one replica holds the lease ("dispatcher"), the others stand by;
   * "single" without Redis. The stream counts are 0 in single mode.
   */
  cluster: z.object({
    role: z.enum(['dispatcher', 'standby', 'single']),
    /** The lease's holder (pod name and pid); null when nobody holds it, or in single mode. */
    leaseHolder: z.string().nullable(),
    /** Entries in the intake stream not yet acked. */
    streamLength: count,
    /** Entries read by the dispatcher and not yet acked. */
    pending: count,
  }),
});

export type ClusterStatus = z.infer<typeof statusSnapshotSchema>['cluster'];
export type StatusSnapshot = z.infer<typeof statusSnapshotSchema>;
export type TargetStatus = z.infer<typeof targetStatusSchema>;
export type DeliveryRecord = z.infer<typeof deliveryRecordSchema>;
export type DeadLetterStatus = z.infer<typeof deadLetterSchema>;
