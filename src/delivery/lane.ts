import type { DiscordMessage } from '../discord/message.js';
import type { SendResult } from '../discord/send-result.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { retryDelay, type BackoffPolicy } from './backoff.js';
import { WebhookBucket } from './bucket.js';
import { alertIdentities, type Job } from './job.js';
import type { DeadLetterReason } from './dead-letters.js';

export interface LaneOptions {
  name: string;
  webhookId: string | undefined;
  send: (message: DiscordMessage) => Promise<SendResult>;
  render: (job: Job) => DiscordMessage[];
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  backoff: BackoffPolicy;
  maxAttempts: number;
  maxAgeMs: number;
  onDone: (
    job: Job,
    outcome: { delivered: true } | { delivered: false; reason: DeadLetterReason; detail: string },
  ) => void;
  /** Every request's outcome, for the status page's recent deliveries. */
  onAttempt?: (job: Job, result: SendResult, latencyMs: number) => void;
}

/** A read-only view of a lane for the status page. */
export interface LaneSnapshot {
  webhookId: string | undefined;
  bucket: ReturnType<WebhookBucket['snapshot']>;
  /** Why the webhook is out of rotation (deleted, token revoked); undefined while usable. */
  webhookGone: string | undefined;
  queued: readonly Job[];
}

/**
 * One webhook's queue, sent in order, one request at a time. Waits for the bucket before
 * sending, honours 429s, retries what may succeed later and gives up (dead letter) on what
 * never will.
 */
export class Lane {
  readonly bucket = new WebhookBucket();
  readonly #queue: Job[] = [];
  #wake: (() => void) | undefined;
  #waitAbort = new AbortController();
  #gone: string | undefined;
  #stopped = false;
  readonly #loop: Promise<void>;

  constructor(private readonly o: LaneOptions) {
    this.#loop = this.#run();
  }

  get depth(): number {
    return this.#queue.length;
  }

  oldestReceivedAt(): number | undefined {
    return this.#queue[0]?.receivedAt;
  }

  snapshot(now: number): LaneSnapshot {
    return {
      webhookId: this.o.webhookId,
      bucket: this.bucket.snapshot(now),
      webhookGone: this.#gone,
      queued: [...this.#queue],
    };
  }

  push(job: Job): void {
    this.#queue.push(job);
    this.#wake?.();
  }

  /** Stops the loop; jobs still queued are handed back to the caller. */
  async stop(): Promise<Job[]> {
    this.#stopped = true;
    this.#wake?.();
    this.#waitAbort.abort();
    await this.#loop;
    return this.#queue.splice(0);
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const job = this.#queue[0];
      if (!job) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      await this.#step(job);
    }
  }

  #finish(job: Job, outcome: Parameters<LaneOptions['onDone']>[1]): void {
    this.#queue.shift();
    this.o.onDone(job, outcome);
  }

  async #sleep(ms: number): Promise<void> {
    await this.o.clock.sleep(ms, this.#waitAbort.signal);
  }

  async #step(job: Job): Promise<void> {
    const { clock, log, metrics } = this.o;
    if (this.#gone) return this.#finish(job, { delivered: false, reason: 'webhook_gone', detail: this.#gone });
    if (clock.now() - job.receivedAt > this.o.maxAgeMs) {
      return this.#finish(job, { delivered: false, reason: 'too_old', detail: `older than ${this.o.maxAgeMs} ms` });
    }
    if (!job.parts) {
      try {
        job.parts = this.o.render(job);
      } catch (err) {
        return this.#finish(job, { delivered: false, reason: 'render_failed', detail: (err as Error).message });
      }
    }
    const wait = this.bucket.waitMs(clock.now());
    if (wait > 0) return this.#sleep(wait);

    const part = job.parts[job.sent];
    if (!part) return this.#finish(job, { delivered: true });
    const sentAt = clock.now();
    this.bucket.take(sentAt);
    const result = await this.o.send(part);
    const now = clock.now();
    this.o.onAttempt?.(job, result, now - sentAt);
    this.bucket.learn(result.rateLimit, now);
    const ctx = { lane: this.o.name, webhook_id: this.o.webhookId, groupKey: job.notification.groupKey };

    switch (result.kind) {
      case 'ok':
        job.sent += 1;
        metrics.messagesDelivered.inc({ target: job.target.name });
        if (job.sent >= job.parts.length) this.#finish(job, { delivered: true });
        return;
      case 'rateLimited':
        // Not the message's fault: waiting is the fix, and it does not use up an attempt.
        this.bucket.blockFor(result.retryAfterMs, now);
        metrics.retries.inc({ reason: 'rate_limited' });
        log.warn({ ...ctx, scope: result.scope, retryAfterMs: result.retryAfterMs }, 'rate limited by Discord');
        return;
      case 'retryable': {
        job.attempts += 1;
        if (job.attempts >= this.o.maxAttempts) {
          return this.#finish(job, { delivered: false, reason: 'attempts_exhausted', detail: result.reason });
        }
        const delay = retryDelay(this.o.backoff, job.attempts, result.retryAfterMs);
        metrics.retries.inc({ reason: result.status === undefined ? 'network' : 'server_error' });
        log.warn(
          { ...ctx, reason: result.reason, attempt: job.attempts, delayMs: delay },
          'Discord request failed, retrying',
        );
        return this.#sleep(delay);
      }
      case 'gone':
        this.#gone = `Discord answered ${result.status}${result.code ? ` (code ${result.code})` : ''}: webhook deleted or token revoked`;
        log.error(
          { ...ctx, status: result.status, code: result.code },
          'webhook is gone; its messages are dead-lettered until the config is fixed',
        );
        return this.#finish(job, { delivered: false, reason: 'webhook_gone', detail: this.#gone });
      case 'unknownMessage':
      case 'rejected': {
        const detail = result.kind === 'rejected' ? `${result.status} ${result.message}` : '404 unknown message';
        const errors = result.kind === 'rejected' ? result.errors : undefined;
        log.error(
          { ...ctx, status: result.status, discordErrors: errors, alerts: alertIdentities(job.notification) },
          'Discord rejected a message',
        );
        return this.#finish(job, { delivered: false, reason: 'rejected', detail });
      }
    }
  }
}
