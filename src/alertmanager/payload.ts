import { z } from 'zod';
import { formatPath } from '../shared/format-path.js';
import { shareStrings } from './share-strings.js';

/**
 * Alertmanager's webhook payload, version "4".
 * Objects are loose: newer Alertmanager versions add fields (notification_reason,
 * routeLabels, ...) and a receiver must never reject a payload for an extra key.
 */
const labelSet = z.record(z.string(), z.string());

export const alertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }).optional(),
  generatorURL: z.string().default(''),
  fingerprint: z.string().min(1).max(256),
});

export const notificationSchema = z.looseObject({
  version: z.literal('4', { error: 'must be "4" (Alertmanager webhook payload version)' }),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(alertSchema).min(1, { error: 'must contain at least one alert' }),
});

export type Alert = z.infer<typeof alertSchema>;
export type Notification = z.infer<typeof notificationSchema>;

export interface PayloadIssue {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; notification: Notification } | { ok: false; issues: PayloadIssue[] };

export function parseNotification(body: unknown): ParseResult {
  const result = notificationSchema.safeParse(body);
  if (result.success) return { ok: true, notification: shareStrings(result.data) };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
  };
}

/** Alertmanager sends the zero time for endsAt while an alert fires. */
export function hasEnded(alert: Alert): boolean {
  return alert.endsAt !== undefined && !alert.endsAt.startsWith('0001-');
}
