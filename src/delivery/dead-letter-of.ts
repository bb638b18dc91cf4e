import type { Notification } from '../alertmanager/payload.js';
import { redactWebhookTokens } from '../shared/redact-webhook-tokens.js';
import type { Priority } from '../shared/severity.js';
import type { DeadLetter } from './dead-letters.js';
import type { Outcome } from './delivery-events.js';
import { alertIdentities, type Job } from './job.js';

/** The dead letter of a job given up on; its detail never carries a webhook token. */
export function deadLetterOf(job: Job, outcome: Extract<Outcome, { delivered: false }>, now: number): DeadLetter {
  return {
    at: new Date(now).toISOString(),
    target: job.target.name,
    webhookId: job.webhookId,
    reason: outcome.reason,
    detail: redactWebhookTokens(outcome.detail),
    priority: job.priority,
    groupKey: job.notification.groupKey,
    alerts: alertIdentities(job.notification),
  };
}

/** The dead letter of a notification routing kept for a target and can no longer send. */
export function unsentLetter(
  n: Notification,
  target: string,
  priority: Priority,
  detail: string,
  now: number,
): DeadLetter {
  return {
    at: new Date(now).toISOString(),
    target,
    webhookId: undefined,
    reason: 'shutdown',
    detail,
    priority,
    groupKey: n.groupKey,
    alerts: alertIdentities(n),
  };
}
