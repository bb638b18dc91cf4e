import type { SendResult } from '../discord/send-result.js';
import { reopenArchivedThread } from '../lifecycle/reopen-thread.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Logger } from '../shared/logger.js';
import { retryDelay, type BackoffPolicy } from './backoff.js';
import type { DeadLetterReason } from './dead-letters.js';
import type { Sent } from './endpoint.js';
import { alertIdentities, type Job } from './job.js';

export type Verdict =
  /** Discord accepted the part. */
  | { kind: 'accepted' }
  /** A 429: the budgets have learned when to try again; no attempt is used up. */
  | { kind: 'wait' }
  | { kind: 'retry'; at: number }
  /** Discord's 404 10015 / 401 50027: the webhook is deleted or its token revoked; the message is fine. */
  | { kind: 'webhookGone'; detail: string }
  | { kind: 'giveUp'; reason: DeadLetterReason; detail: string };

export interface JudgeContext {
  log: Logger;
  metrics: Metrics;
  backoff: BackoffPolicy;
  maxAttempts: number;
  random: (() => number) | undefined;
  now: number;
  target: string;
  webhookId: string | undefined;
}

/**
 * What one answer from Discord means for the job that was sent: counted, logged and decided.
 * A failure counts as one of the job's attempts, except a half-open breaker's failed probe:
 * that says the webhook is still down, not that the message is bad.
 */
export function judgeAnswer({ result, probe, lesson }: Sent, job: Job, c: JudgeContext): Verdict {
  const { log, metrics } = c;
  const ctx = { target: c.target, webhook_id: c.webhookId, groupKey: job.notification.groupKey };
  switch (result.kind) {
    case 'ok':
      metrics.messagesDelivered.inc({ target: c.target });
      return { kind: 'accepted' };
    case 'rateLimited':
      metrics.rateLimited.inc({ scope: result.scope });
      metrics.retries.inc({ reason: 'rate_limited' });
      log.warn({ ...ctx, scope: result.scope, retryAfterMs: result.retryAfterMs }, 'rate limited by Discord');
      if (lesson.kind === 'channelCeiling') {
        log.warn(
          { ...ctx, channel: lesson.channel, limit: lesson.limit },
          "hit the channel's hidden rate limit; sending at most this many messages per window for a while",
        );
      }
      return { kind: 'wait' };
    case 'retryable': {
      const status = result.status;
      const reason = status === undefined ? 'network' : status >= 500 || status === 408 ? 'server_error' : 'http_4xx';
      metrics.retries.inc({ reason });
      if (!probe) job.attempts += 1;
      if (job.attempts >= c.maxAttempts) return { kind: 'giveUp', reason: 'attempts_exhausted', detail: result.reason };
      const delay = retryDelay(c.backoff, Math.max(1, job.attempts), result.retryAfterMs, c.random);
      log.warn(
        { ...ctx, reason: result.reason, attempt: job.attempts, delayMs: delay },
        'Discord request failed, retrying',
      );
      return { kind: 'retry', at: c.now + delay };
    }
    case 'gone': {
      const detail = `Discord answered ${result.status} (code ${result.code}): webhook deleted or token revoked`;
      metrics.webhooksRemoved.inc({ target: c.target, webhook_id: c.webhookId ?? '' });
      log.error(
        { ...ctx, status: result.status, code: result.code },
        `webhook ${c.webhookId} is gone; taken out of rotation until the config is fixed`,
      );
      return { kind: 'webhookGone', detail };
    }
    case 'unknownMessage': {
      const route = job.routes?.[job.sent];
      // A part to delete that is gone already is what was wanted.
      if (route?.kind === 'delete') return { kind: 'accepted' };
      if (route?.kind !== 'edit') return giveUp(result, job, c);
      // Deleted by someone, or posted before a restart: the part goes out as a new message.
      log.info({ ...ctx, messageId: route.messageId }, 'message to edit is gone; posting anew');
      if (!route.fallback) return { kind: 'accepted' };
      job.routes![job.sent] = route.fallback;
      return { kind: 'retry', at: c.now };
    }
    case 'archived':
      // A forum post idle too long: a notice posted into it reopens it, then the edit goes again.
      if (reopenArchivedThread(job)) {
        log.info(ctx, 'thread of the message to edit is archived; posting into it to reopen it');
        return { kind: 'retry', at: c.now };
      }
      log.error({ ...ctx, status: result.status }, 'Discord refused an edit: the thread is archived');
      return { kind: 'giveUp', reason: 'rejected', detail: '400 thread is archived (code 50083)' };
    case 'rejected':
      return giveUp(result, job, c);
  }
}

function giveUp(
  result: Extract<SendResult, { kind: 'rejected' | 'unknownMessage' }>,
  job: Job,
  c: JudgeContext,
): Verdict {
  const ctx = { target: c.target, webhook_id: c.webhookId, groupKey: job.notification.groupKey };
  const detail = result.kind === 'rejected' ? `${result.status} ${result.message}` : '404 unknown message';
  const errors = result.kind === 'rejected' ? result.errors : undefined;
  c.log.error(
    { ...ctx, status: result.status, discordErrors: errors, alerts: alertIdentities(job.notification) },
    'Discord rejected a message',
  );
  return { kind: 'giveUp', reason: 'rejected', detail };
}
