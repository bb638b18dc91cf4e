import type { Notification } from '../alertmanager/payload.js';
import type { ResolvedTarget } from '../config/load.js';
import type { DiscordMessage } from '../discord/message.js';

/**
 * What waits in a lane: a notification for one target, rendered late (at send time).
 * A group too big for one Discord message becomes several parts, sent in order; `sent`
 * remembers how far we got so a retry never re-posts a part Discord already accepted.
 */
export interface Job {
  id: number;
  target: ResolvedTarget;
  notification: Notification;
  receivedAt: number;
  attempts: number;
  parts: DiscordMessage[] | undefined;
  sent: number;
  /** Message flags set by routing, e.g. SUPPRESS_NOTIFICATIONS outside active hours. */
  flags?: number;
  /** A line routing puts in front of the content, e.g. why an escalation was sent. */
  note?: string;
}

export function alertIdentities(
  n: Notification,
): { fingerprint: string; status: string; alertname: string | undefined }[] {
  return n.alerts.map((a) => ({ fingerprint: a.fingerprint, status: a.status, alertname: a.labels.alertname }));
}
