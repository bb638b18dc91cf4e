import { z } from 'zod';
import { formatPath } from '../shared/format-path.js';
import { stringSharer } from './share-strings.js';

/**
 * Alertmanager's webhook payload, version "4".
 * Objects are loose: newer Alertmanager versions add fields (notification_reason,
 * routeLabels, ...) and a receiver must never reject a payload for an extra key.
 */
const stringRecord = z.record(z.string(), z.string());

/** What JSON.parse makes of a label set: a plain object whose every value is a string. */
function isStringRecord(v: unknown): v is Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in v) if (typeof (v as Record<string, unknown>)[k] !== 'string') return false;
  return true;
}

/**
 * `Record<string, string>`, checked by a plain loop: zod's record check cost ~2.5 µs a key
 * (50 ms for one alert with 20,000 labels). Anything else goes to zod's own check, so the
 * issues and their paths are zod's.
 */
const labelSet = z.custom<Record<string, string>>().superRefine((v, ctx) => {
  if (isStringRecord(v)) return;
  const result = stringRecord.safeParse(v);
  for (const issue of result.error?.issues ?? [])
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

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
  /**
   * Alertmanager >= 0.32: why it sent this one - "first notification", "new alerts added",
   * "some alerts resolved", "all alerts resolved" or "repeat interval elapsed". Offered to
   * templates; a value of another type is dropped rather than refusing the payload.
   */
  notification_reason: z.string().optional().catch(undefined),
  alerts: z.array(alertSchema).min(1, { error: 'must contain at least one alert' }),
});

export type Alert = z.infer<typeof alertSchema>;
export type Notification = z.infer<typeof notificationSchema>;

export interface PayloadIssue {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; notification: Notification } | { ok: false; issues: PayloadIssue[] };

// The alerts are checked apart from the rest, a chunk at a time, so a big group can be
// checked in steps that each leave the event loop free soon.
const envelopeSchema = notificationSchema.extend({
  alerts: z.array(z.unknown()).min(1, { error: 'must contain at least one alert' }),
});

/** Alerts checked between two yields: about 5 ms of work on a loaded 2-core machine. */
export const ALERTS_PER_STEP = 500;

const issuesOf = (error: z.ZodError, prefix: PropertyKey[] = []): PayloadIssue[] =>
  error.issues.map((i) => ({ path: formatPath([...prefix, ...i.path]), message: i.message }));

/** The check, in steps: it yields after every ALERTS_PER_STEP alerts. Issues as zod reports them. */
function* parseSteps(body: unknown): Generator<void, ParseResult> {
  const envelope = envelopeSchema.safeParse(body);
  const issues = envelope.success ? [] : issuesOf(envelope.error);
  const raw = envelope.success ? envelope.data.alerts : (body as { alerts?: unknown } | null)?.alerts;
  if (!Array.isArray(raw)) return { ok: false, issues };
  const share = stringSharer();
  const alerts: Alert[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (i > 0 && i % ALERTS_PER_STEP === 0) yield;
    const alert = alertSchema.safeParse(raw[i]);
    if (!alert.success) issues.push(...issuesOf(alert.error, ['alerts', i]));
    else if (issues.length === 0) {
      share.alert(alert.data);
      alerts.push(alert.data);
    }
  }
  if (!envelope.success || issues.length > 0) return { ok: false, issues };
  const notification: Notification = { ...envelope.data, alerts };
  share.notification(notification);
  return { ok: true, notification };
}

export function parseNotification(body: unknown): ParseResult {
  const steps = parseSteps(body);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** parseNotification with a turn of the event loop between chunks of alerts. */
export async function parseNotificationInSteps(body: unknown): Promise<ParseResult> {
  const steps = parseSteps(body);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise(setImmediate);
  }
}
