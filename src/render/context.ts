import type { Alert, Notification } from '../alertmanager/payload.js';

/** What a group-level leaf sees. */
export interface GroupContext extends Notification {
  firing: Alert[];
  resolved: Alert[];
  target: string;
}

/** What a per-alert leaf sees: the alert, its severity, and the group it belongs to. */
export interface AlertContext extends Alert {
  severity: string;
  group: GroupContext;
  externalURL: string;
}

export function groupContext(notification: Notification, target: string): GroupContext {
  return {
    ...notification,
    firing: notification.alerts.filter((a) => a.status === 'firing'),
    resolved: notification.alerts.filter((a) => a.status === 'resolved'),
    target,
  };
}

export function alertContext(alert: Alert, group: GroupContext): AlertContext {
  return { ...alert, severity: alert.labels.severity ?? '', group, externalURL: group.externalURL };
}
