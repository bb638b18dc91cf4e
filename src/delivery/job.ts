import type { Notification } from '../alertmanager/payload.js';
import type { ResolvedTarget } from '../config/load.js';
import type { DiscordMessage } from '../discord/message.js';
import type { AlertIdentity } from './dead-letters.js';
import { priorityRank, type Priority, type SeverityModel } from '../shared/severity.js';

/**
 * What waits in a target's queue: a notification for one target, rendered late (when the
 * scheduler sends it). A group too big for one Discord message becomes several parts, sent in
 * order; `sent` remembers how far we got so a retry never re-posts a part Discord accepted.
 */
export interface Job {
  id: number;
  target: ResolvedTarget;
  notification: Notification;
  priority: Priority;
  receivedAt: number;
  /** Size of the notification, for the queue's byte bound. */
  bytes: number;
  /** Failed attempts (5xx, network errors); waiting on a 429 or an open breaker is not one. */
  attempts: number;
  /** A retry's backoff: not sent before this time. */
  notBefore: number;
  parts: DiscordMessage[] | undefined;
  /**
   * A huge group renders a page at a time: this renders and plans the next page onto `parts`
   * and `routes`; false (and gone) once every part is there.
   */
  more?: (() => boolean) | undefined;
  sent: number;
  /** The webhook of the last attempt, for the dead-letter record. */
  webhookId: string | undefined;
  /** Message flags set by routing, e.g. SUPPRESS_NOTIFICATIONS outside active hours. */
  flags?: number;
  /** A line routing puts in front of the content, e.g. why an escalation was sent. */
  note?: string;
  /** Where each part goes (new message or edit), decided with the parts; absent: all new. */
  routes?: PartRoute[] | undefined;
  /**
   * Handled again after a failover, maybe delivered before: a message already showing its
   * state is edited in place (a no-op for the reader), never posted again as a repeat.
   */
  replay?: boolean;
  /** Discord refused a request this job was packed into: from now on it goes alone. */
  alone?: boolean;
}

/** A new message, in a thread when `threadId` is set. */
export interface PostRoute {
  kind: 'post';
  threadId?: string | undefined;
  /** A short notice beside the group's message, not one of its parts (never edited later). */
  notice?: boolean;
  /**
   * Posted in place of a shared message for the groups it shows: the view anew when Discord no
   * longer knows it, or a neighbour moved out of it. Each of them learns the new message.
   */
  replaces?: { messageId: string; groupKeys: string[] };
}

/**
 * An edit of a message posted before. `fallback` is what to do when Discord no longer knows
 * the message (404 10008): post it anew, or nothing.
 */
export interface EditRoute {
  kind: 'edit';
  messageId: string;
  threadId?: string | undefined;
  fallback: PostRoute | undefined;
  /** Its thread was found archived and a notice posted to reopen it: a second refusal is final. */
  reopened?: boolean;
  /** The message is a view of several groups: the ones the edited body shows, in order. */
  view?: string[];
}

/** A part the group no longer needs: the message goes (an unknown message is gone already). */
export interface DeleteRoute {
  kind: 'delete';
  messageId: string;
  threadId?: string | undefined;
  reopened?: boolean;
}

export type PartRoute = PostRoute | EditRoute | DeleteRoute;

export function alertIdentities(n: Notification): AlertIdentity[] {
  return n.alerts.map((a) => ({ fingerprint: a.fingerprint, status: a.status, alertname: a.labels.alertname }));
}

const mostUrgent = (priorities: Priority[]): Priority | undefined =>
  priorities.reduce<Priority | undefined>(
    (a, p) => (a === undefined || priorityRank(p) > priorityRank(a) ? p : a),
    undefined,
  );

/**
 * The most urgent of the firing alerts. A notification that only resolves alerts is good news:
 * it goes no faster than `normal`, so it never takes a critical alert's place.
 */
export function jobPriority(n: Notification, severities: SeverityModel): Priority {
  const of = (status: string) =>
    mostUrgent(n.alerts.filter((a) => a.status === status).map((a) => severities.priority(a.labels.severity)));
  const firing = of('firing');
  if (firing) return firing;
  const resolved = of('resolved') ?? 'normal';
  return priorityRank(resolved) > priorityRank('normal') ? 'normal' : resolved;
}

/**
 * The newer state of a group taking the place of a queued one. It keeps the earlier arrival
 * (latency counts from the first notification) and the more urgent priority; resolved alerts
 * only the older one carried stay named, since Alertmanager will not send them again.
 */
export function coalesce(older: Job, newer: Job): Job {
  const seen = new Set(newer.notification.alerts.map((a) => a.fingerprint));
  const carried = older.notification.alerts.filter((a) => a.status === 'resolved' && !seen.has(a.fingerprint));
  const notification =
    carried.length === 0
      ? newer.notification
      : { ...newer.notification, alerts: [...newer.notification.alerts, ...carried] };
  const note = newer.note ?? older.note;
  return {
    ...newer,
    ...(note !== undefined ? { note } : {}),
    notification,
    id: older.id,
    receivedAt: Math.min(older.receivedAt, newer.receivedAt),
    priority: priorityRank(older.priority) > priorityRank(newer.priority) ? older.priority : newer.priority,
    bytes: newer.bytes,
    attempts: 0,
    notBefore: 0,
    parts: undefined,
    more: undefined,
    sent: 0,
  };
}
