import type { Alert, Notification } from '../alertmanager/payload.js';
import type { GroupFrame } from './kept-alert.js';

/** Labels (or annotations) that every alert has with the same value. */
function common(sets: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const [first, ...rest] = sets;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first)) if (rest.every((s) => s[k] === v)) out[k] = v;
  return out;
}

/** A group's notification for these alerts: status and common labels computed from them. */
export function notificationOf<F extends GroupFrame>(frame: F, alerts: readonly Alert[]): F & Notification {
  return {
    ...frame,
    alerts: [...alerts],
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
  };
}

/**
 * The notification one target sees: only its alerts, with status and common labels
 * recomputed for them. groupKey, groupLabels and receiver stay the group's, so a target's
 * messages for one group keep one stable identity whatever subset it gets. The whole set
 * returns the notification itself.
 */
export function subNotification(n: Notification, alerts: readonly Alert[]): Notification {
  if (alerts.length === n.alerts.length && alerts.every((a, i) => a === n.alerts[i])) return n;
  return notificationOf(n, alerts);
}
