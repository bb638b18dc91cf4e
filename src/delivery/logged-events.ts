import type { ResolvedTarget } from '../config/load.js';
import type { UrlChange } from '../discord/distinct-urls.js';
import type { SendResult } from '../discord/send-result.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Logger } from '../shared/logger.js';
import { BREAKER_STATES, type BreakerState } from './breaker.js';
import type { DeadLetter } from './dead-letters.js';
import type { AnswerContext, DeliveryEvents, Outcome } from './delivery-events.js';
import type { Sent } from './endpoint.js';
import { alertIdentities, type Job } from './job.js';
import type { Verdict } from './judge-answer.js';

/** Delivery's events logged and counted, then handed on to `next` (the books). */
export class LoggedEvents implements DeliveryEvents {
  constructor(
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly next: DeliveryEvents,
    private readonly now: () => number,
  ) {}

  coalesced(replaced: Job): void {
    this.metrics.coalesced.inc({ target: replaced.target.name });
    this.next.coalesced(replaced);
  }

  digestMode(target: ResolvedTarget, on: boolean): void {
    this.metrics.digestMode.set({ target: target.name }, on ? 1 : 0);
    this.log.warn(
      { target: target.name },
      on
        ? 'backlog too long to drain in time: rendering digests until it clears'
        : 'backlog cleared: rendering with the target template again',
    );
    this.next.digestMode(target, on);
  }

  answer(sent: Sent, jobs: readonly Job[], webhookId: string | undefined, latencyMs: number): void {
    if (sent.result.kind === 'ok' && jobs.length > 1) {
      this.metrics.packedJobs.inc({ target: jobs[0]!.target.name }, jobs.length - 1);
    }
    this.next.answer(sent, jobs, webhookId, latencyMs);
  }

  judged(sent: Sent, job: Job, verdict: Verdict, at: AnswerContext): void {
    const { log, metrics } = this;
    const { result, lesson } = sent;
    const ctx = { target: at.target, webhook_id: at.webhookId, groupKey: job.notification.groupKey };
    switch (result.kind) {
      case 'ok':
        metrics.messagesDelivered.inc({ target: at.target });
        break;
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
        break;
      case 'retryable': {
        const status = result.status;
        const reason = status === undefined ? 'network' : status >= 500 || status === 408 ? 'server_error' : 'http_4xx';
        metrics.retries.inc({ reason });
        if (verdict.kind === 'retry') {
          log.warn(
            { ...ctx, reason: result.reason, attempt: verdict.attempts, delayMs: verdict.at - at.now },
            'Discord request failed, retrying',
          );
        }
        break;
      }
      case 'gone':
        metrics.webhooksRemoved.inc({ target: at.target, webhook_id: at.webhookId ?? '' });
        log.error(
          { ...ctx, status: result.status, code: result.code },
          `webhook ${at.webhookId} is gone; taken out of rotation until the config is fixed`,
        );
        break;
      case 'unknownMessage': {
        const route = job.routes?.[job.sent];
        if (verdict.kind === 'giveUp') this.#rejected(ctx, result, job);
        else if (route?.kind === 'edit') {
          log.info({ ...ctx, messageId: route.messageId }, 'message to edit is gone; posting anew');
        }
        break;
      }
      case 'archived':
        if (verdict.kind === 'retry')
          log.info(ctx, 'thread of the message to edit is archived; posting into it to reopen it');
        else log.error({ ...ctx, status: result.status }, 'Discord refused an edit: the thread is archived');
        break;
      case 'rejected':
        this.#rejected(ctx, result, job);
    }
    this.next.judged(sent, job, verdict, at);
  }

  #rejected(ctx: object, result: Extract<SendResult, { kind: 'rejected' | 'unknownMessage' }>, job: Job): void {
    const errors = result.kind === 'rejected' ? result.errors : undefined;
    this.log.error(
      { ...ctx, status: result.status, discordErrors: errors, alerts: alertIdentities(job.notification) },
      'Discord rejected a message',
    );
  }

  unpacked(
    target: string,
    webhookId: string | undefined,
    refusal: Extract<SendResult, { kind: 'rejected' }>,
    messages: number,
  ): void {
    this.log.warn(
      { target, webhook_id: webhookId, status: refusal.status, discordErrors: refusal.errors, messages },
      'Discord refused a packed request; sending its messages one by one',
    );
    this.next.unpacked(target, webhookId, refusal, messages);
  }

  packed(changes: readonly UrlChange[]): void {
    for (const c of changes) this.metrics.fitCuts.inc({ action: c.action });
    this.next.packed(changes);
  }

  done(job: Job, outcome: Outcome): void {
    if (outcome.delivered) {
      const seconds = (this.now() - job.receivedAt) / 1000;
      this.metrics.deliveryLatency.observe({ priority: job.priority }, seconds);
    }
    this.next.done(job, outcome);
  }

  webhookGone(target: ResolvedTarget, webhookId: string, detail: string): void {
    this.next.webhookGone(target, webhookId, detail);
  }

  deadLettered(letter: DeadLetter): void {
    this.metrics.deadLetters.inc({ reason: letter.reason });
    this.log.error({ deadLetter: letter }, 'message dead-lettered');
    this.next.deadLettered(letter);
  }

  webhookAdded(webhookId: string): void {
    this.metrics.breakerState.set({ webhook_id: webhookId }, 0);
    this.next.webhookAdded(webhookId);
  }

  breakerChanged(webhookId: string, from: BreakerState, to: BreakerState, failures: number): void {
    const labels = { webhook_id: webhookId };
    this.metrics.breakerState.set(labels, BREAKER_STATES.indexOf(to));
    this.metrics.breakerTransitions.inc({ ...labels, state: to });
    const line = { webhook_id: webhookId, from, to, consecutiveFailures: failures };
    if (to === 'open') this.log.error(line, 'circuit breaker opened: messages for this webhook wait');
    else this.log.warn(line, `circuit breaker ${to === 'closed' ? 'closed' : 'half-open: probing'}`);
    this.next.breakerChanged(webhookId, from, to, failures);
  }

  unexpected(err: unknown, context: Record<string, unknown>): void {
    this.metrics.deliveryErrors.inc();
    this.log.error({ ...context, err }, 'unexpected error in the delivery loop; it keeps running');
    this.next.unexpected(err, context);
  }
}
