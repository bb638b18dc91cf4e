import type { Notification } from '../alertmanager/payload.js';
import type { RepeatPolicy } from '../lifecycle/dedup.js';
import type { GroupStates } from '../lifecycle/group-states.js';
import type { MessageMemory } from '../lifecycle/message-memory.js';
import type { ResolvedTarget } from '../config/load.js';
import type { MessageSink } from '../discord/client.js';
import type { DiscordMessage } from '../discord/message.js';
import type { SendResult } from '../discord/send-result.js';
import { redactWebhookTokens } from '../discord/webhook.js';
import type { Metrics } from '../metrics/metrics.js';
import type { SeverityModel } from '../routing/severity.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { StateJournal } from '../state/journal.js';
import type { BackoffPolicy } from './backoff.js';
import { Breaker, BREAKER_STATES, type BreakerPolicy, type BreakerState } from './breaker.js';
import { DeadLetterRing, type DeadLetter, type DeadLetters } from './dead-letters.js';
import type { LineWriter } from './dry-run.js';
import { DryRunEndpoint, WebhookEndpoint, type Endpoint } from './endpoint.js';
import { InvalidRequests } from './invalid-requests.js';
import { alertIdentities, jobPriority, type Job } from './job.js';
import { MessageLifecycle } from './message-lifecycle.js';
import { notificationBytes } from './notification-bytes.js';
import { RateLimits, type RateLimitConfig } from './rate-limits.js';
import { Scheduler, type Outcome } from './scheduler.js';
import { webhookGoneNotice } from './webhook-gone-notice.js';

export interface DeliveryOptions {
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  sink: MessageSink;
  dryRunOut: LineWriter;
  /** One page of a job's render, or all of it when `page` is absent. */
  render: (job: Job, digest: boolean, page?: number) => DiscordMessage[];
  /** Pages a job's render takes (1 when absent): a huge group is rendered a page per send. */
  pages?: (job: Job, digest: boolean) => number;
  /** Backlog drain time beyond which a target's messages are rendered as digests; never if unset. */
  digestAfterMs?: (target: ResolvedTarget) => number;
  /** Several waiting messages in one Discord request when the budget is short. */
  pack: boolean;
  severities: SeverityModel;
  /** Looks a target up by name (for `fallback_target`). */
  target: (name: string) => ResolvedTarget | undefined;
  backoff: BackoffPolicy;
  /** Jitter source for retries (tests pin it). */
  random?: () => number;
  maxAttempts: number;
  maxAgeMs: number;
  agingMs: number;
  queueLimit: number;
  queueBytesLimit: number;
  /** What routing keeps for later posts (held alerts, escalations): it shares the queue's limits. */
  reserved?: () => { entries: number; bytes: number };
  deadLetterCapacity: number;
  /** Where dead letters are recorded (space `dead-letters`); none by default. */
  journal?: StateJournal;
  breaker: BreakerPolicy;
  rateLimits: RateLimitConfig;
  /** Where each group's message is, so updates edit it; without it every update is a new message. */
  memory?: MessageMemory;
  /** Each group's current state, so a message shared by several groups is edited when one changes. */
  states?: GroupStates;
  /** What a repeat of the state a group's message shows does (dedup.repeat). */
  repeat?: RepeatPolicy;
}

/** What routing adds to every job of one enqueue call. */
export interface EnqueueOptions {
  flags?: number;
  note?: string;
}

export type EnqueueResult = { ok: true; jobs: number } | { ok: false; reason: 'queue_full' | 'shutting_down' };

/** One request to Discord (or one dry-run print), as the status page lists it. */
export interface DeliveryAttempt {
  at: number;
  target: string;
  webhookId: string | undefined;
  alerts: number;
  latencyMs: number;
  result: SendResult['kind'];
  status: number | undefined;
}

/** One webhook of a target's pool, as the status page shows it. */
export interface EndpointSnapshot {
  target: string;
  webhookId: string;
  bucket: { remaining: number; limit: number | undefined; resetInMs: number };
  breaker: { state: BreakerState; retryInMs: number };
  gone: string | undefined;
}

/** A read-only view for the status page. */
export interface DeliverySnapshot {
  queued: number;
  queueLimit: number;
  endpoints: EndpointSnapshot[];
  jobs: readonly Job[];
  /** Oldest first. */
  recentAttempts: readonly DeliveryAttempt[];
  /** The bounded ring, oldest first; `deadLettersTotal` counts every one since start. */
  deadLetters: readonly DeadLetter[];
  deadLettersTotal: number;
}

const RECENT_ATTEMPTS = 50;
const NOTHING_KEPT = { entries: 0, bytes: 0 };

/** How long the shutdown waits for requests already on their way after the drain deadline. */
const STOP_GRACE_MS = 2000;

/**
 * Where accepted notifications wait until Discord has them: bounded (messages and bytes, so
 * a full queue is a 503 for Alertmanager rather than a lost alert), scheduled, and drained on
 * shutdown. Whatever cannot be delivered is dead-lettered: kept, counted and logged.
 */
export class Delivery {
  readonly deadLetters: DeadLetters;
  readonly #scheduler: Scheduler;
  /**
   * Keyed by webhook id and token: a webhook found gone stays gone for that URL, while a reload
   * with a corrected URL (a new token, or a new webhook) gets an endpoint of its own.
   */
  readonly #endpoints = new Map<string, WebhookEndpoint>();
  readonly #limits: RateLimits;
  readonly #invalid = new InvalidRequests();
  readonly #recentAttempts: DeliveryAttempt[] = [];
  readonly #lifecycle: MessageLifecycle;
  #bytes = 0;
  #nextId = 1;
  #accepting = true;
  #idle: (() => void) | undefined;

  constructor(private readonly o: DeliveryOptions) {
    this.deadLetters = new DeadLetterRing(o.deadLetterCapacity, o.journal);
    this.#limits = new RateLimits(o.rateLimits);
    this.#lifecycle = new MessageLifecycle({
      memory: o.memory,
      states: o.states,
      repeat: o.repeat ?? 'repost',
      // Any token of a webhook may edit what it posted: live if one of its URLs still works.
      webhookLive: (webhookId) =>
        [...this.#endpoints.values()].some((e) => e.webhookId === webhookId && e.gone === undefined),
      render: o.render,
      ...(o.pages ? { pages: o.pages } : {}),
    });
    this.#scheduler = new Scheduler({
      clock: o.clock,
      log: o.log,
      metrics: o.metrics,
      render: (job, digest) => this.#lifecycle.plan(job, digest),
      pinnedWebhook: (job) => this.#lifecycle.pinnedWebhook(job),
      reach: (job) => this.#lifecycle.reach(job),
      endpoints: (target) => this.#endpointsOf(target),
      backoff: o.backoff,
      random: o.random,
      maxAttempts: o.maxAttempts,
      maxAgeMs: o.maxAgeMs,
      agingMs: o.agingMs,
      onDone: (job, outcome) => this.#done(job, outcome),
      onWebhookGone: (target, webhookId, detail) => this.#webhookGone(target, webhookId, detail),
      digestAfterMs: o.digestAfterMs ?? (() => Infinity),
      pack: o.pack,
      drainMs: (target, messages, now) => {
        const first = target.webhooks[0];
        return first ? this.#limits.drainMs(first.id, messages, now) : 0;
      },
      onCoalesced: (replaced) => {
        this.#bytes -= replaced.bytes;
        o.metrics.coalesced.inc({ target: replaced.target.name });
      },
      onDigestMode: (target, on) => {
        o.metrics.digestMode.set({ target: target.name }, on ? 1 : 0);
        o.log.warn(
          { target: target.name },
          on
            ? 'backlog too long to drain in time: rendering digests until it clears'
            : 'backlog cleared: rendering with the target template again',
        );
      },
      onAnswer: ({ result }, jobs, webhookId, latencyMs) => {
        this.#lifecycle.answered(jobs, result, webhookId);
        this.#invalid.record(result, o.clock.now());
        const target = jobs[0]!.target.name;
        if (result.kind === 'ok' && jobs.length > 1) o.metrics.packedJobs.inc({ target }, jobs.length - 1);
        this.#recentAttempts.push({
          at: o.clock.now(),
          target,
          webhookId,
          alerts: jobs.reduce((n, j) => n + j.notification.alerts.length, 0),
          latencyMs,
          result: result.kind,
          status: result.kind === 'ok' ? result.status : (result.status ?? undefined),
        });
        if (this.#recentAttempts.length > RECENT_ATTEMPTS) this.#recentAttempts.shift();
      },
    });
    o.metrics.observeQueue({
      depth: (p) => this.#scheduler.depth(p),
      oldestSeconds: () => {
        const oldest = this.#scheduler.oldest();
        return oldest === undefined ? 0 : Math.max(0, (o.clock.now() - oldest) / 1000);
      },
      bytes: () => this.#bytes,
      invalidRequests: () => this.#invalid.lastTenMinutes(o.clock.now()),
    });
  }

  /** Messages waiting (one per notification and target). */
  get queued(): number {
    return this.#scheduler.size;
  }

  /** All-or-nothing: a notification is either queued for every target or refused (503). */
  enqueue(notification: Notification, targets: readonly ResolvedTarget[], options: EnqueueOptions = {}): EnqueueResult {
    if (!this.#accepting) return { ok: false, reason: 'shutting_down' };
    const bytes = notificationBytes(notification);
    const kept = this.o.reserved?.() ?? NOTHING_KEPT;
    const full =
      this.queued + targets.length > this.o.queueLimit ||
      // An empty queue takes any one notification, so an oversized one cannot be refused
      // forever, and alerts kept for later cannot keep out every live one.
      (this.queued > 0 &&
        (this.queued + kept.entries + targets.length > this.o.queueLimit ||
          this.#bytes + kept.bytes + bytes * targets.length > this.o.queueBytesLimit));
    if (full) return { ok: false, reason: 'queue_full' };
    for (const target of targets) this.#push(notification, target, bytes, options);
    return { ok: true, jobs: targets.length };
  }

  /** A notification routing kept for a target and can no longer send: a dead letter (reason shutdown). */
  deadLetterUnsent(notification: Notification, target: string, detail: string): void {
    this.#record({
      at: new Date(this.o.clock.now()).toISOString(),
      target,
      webhookId: undefined,
      reason: 'shutdown',
      detail,
      priority: jobPriority(notification, this.o.severities),
      groupKey: notification.groupKey,
      alerts: alertIdentities(notification),
    });
  }

  /** Whether routing may keep this much more for later posts within the shared limits. */
  room(more: { entries: number; bytes: number }): boolean {
    const kept = this.o.reserved?.() ?? NOTHING_KEPT;
    const entries = this.queued + kept.entries;
    // Nothing queued or kept: any one notification fits, as in enqueue.
    if (entries === 0) return true;
    return (
      entries + more.entries <= this.o.queueLimit && this.#bytes + kept.bytes + more.bytes <= this.o.queueBytesLimit
    );
  }

  /** The state of every webhook of these targets, the queue, recent answers and dead letters. */
  snapshot(targets: Iterable<ResolvedTarget>): DeliverySnapshot {
    const now = this.o.clock.now();
    const endpoints: EndpointSnapshot[] = [];
    for (const target of targets) {
      for (const webhook of target.webhooks) {
        const endpoint = this.#endpoints.get(webhook.key);
        endpoints.push({
          target: target.name,
          webhookId: webhook.id,
          bucket: this.#limits.bucketSnapshot(webhook.id, now),
          breaker: endpoint
            ? { state: endpoint.breaker.state(now), retryInMs: endpoint.breaker.waitMs(now) }
            : { state: 'closed', retryInMs: 0 },
          gone: endpoint?.gone,
        });
      }
    }
    return {
      queued: this.queued,
      queueLimit: this.o.queueLimit,
      endpoints,
      jobs: this.#scheduler.queuedJobs(),
      recentAttempts: [...this.#recentAttempts],
      deadLetters: this.deadLetters.list(),
      deadLettersTotal: this.deadLetters.total,
    };
  }

  /** Stops accepting, lets the queue drain until empty or the deadline, dead-letters the rest. */
  async drain(deadlineMs: number): Promise<void> {
    this.#accepting = false;
    if (this.queued > 0) {
      const idle = new Promise<void>((resolve) => (this.#idle = resolve));
      const timeout = new AbortController();
      await Promise.race([idle, this.o.clock.sleep(deadlineMs, timeout.signal)]);
      timeout.abort();
    }
    for (const job of await this.#scheduler.stop(STOP_GRACE_MS)) {
      this.#deadLetter(job, {
        delivered: false,
        reason: 'shutdown',
        detail: 'not delivered when the shutdown deadline passed',
      });
    }
  }

  #push(notification: Notification, target: ResolvedTarget, bytes: number, options: EnqueueOptions = {}): void {
    const job: Job = {
      ...(options.flags !== undefined ? { flags: options.flags } : {}),
      ...(options.note !== undefined ? { note: options.note } : {}),
      id: this.#nextId++,
      target,
      notification,
      priority: jobPriority(notification, this.o.severities),
      receivedAt: this.o.clock.now(),
      bytes,
      attempts: 0,
      notBefore: 0,
      parts: undefined,
      sent: 0,
      webhookId: undefined,
    };
    this.#bytes += bytes;
    this.#scheduler.push(job);
  }

  #done(job: Job, outcome: Outcome): void {
    this.#bytes -= job.bytes;
    if (outcome.delivered) {
      this.#lifecycle.delivered(job);
      const seconds = (this.o.clock.now() - job.receivedAt) / 1000;
      this.o.metrics.deliveryLatency.observe({ priority: job.priority }, seconds);
    } else {
      this.#deadLetter(job, outcome);
    }
    if (this.queued === 0) this.#idle?.();
  }

  #endpointsOf(target: ResolvedTarget): Endpoint[] {
    if (target.webhooks.length === 0) return [new DryRunEndpoint(target.name, this.o.dryRunOut)];
    return target.webhooks.map((webhook) => {
      let endpoint = this.#endpoints.get(webhook.key);
      if (!endpoint) {
        const breaker = new Breaker(this.o.breaker, (from, to, failures) => {
          const labels = { webhook_id: webhook.id };
          this.o.metrics.breakerState.set(labels, BREAKER_STATES.indexOf(to));
          this.o.metrics.breakerTransitions.inc({ ...labels, state: to });
          const line = { webhook_id: webhook.id, from, to, consecutiveFailures: failures };
          if (to === 'open') this.o.log.error(line, 'circuit breaker opened: messages for this webhook wait');
          else this.o.log.warn(line, `circuit breaker ${to === 'closed' ? 'closed' : 'half-open: probing'}`);
        });
        this.o.metrics.breakerState.set({ webhook_id: webhook.id }, 0);
        endpoint = new WebhookEndpoint(webhook, this.#limits, breaker, this.o.sink, this.o.clock);
        this.#endpoints.set(webhook.key, endpoint);
      }
      return endpoint;
    });
  }

  #webhookGone(target: ResolvedTarget, webhookId: string, detail: string): void {
    const fallback = target.fallback_target === undefined ? undefined : this.o.target(target.fallback_target);
    if (!fallback || !this.#accepting) return;
    const remaining = this.#scheduler.liveEndpoints(target);
    const notice = webhookGoneNotice(target.name, webhookId, detail, remaining, this.o.clock.now());
    // A notice of our own is tiny and must not be refused by a full queue.
    this.#push(notice, fallback, notificationBytes(notice));
  }

  #deadLetter(job: Job, outcome: Extract<Outcome, { delivered: false }>): void {
    const letter: DeadLetter = {
      at: new Date(this.o.clock.now()).toISOString(),
      target: job.target.name,
      webhookId: job.webhookId,
      reason: outcome.reason,
      detail: redactWebhookTokens(outcome.detail),
      priority: job.priority,
      groupKey: job.notification.groupKey,
      alerts: alertIdentities(job.notification),
    };
    this.#record(letter);
  }

  #record(letter: DeadLetter): void {
    this.deadLetters.add(letter);
    this.o.metrics.deadLetters.inc({ reason: letter.reason });
    this.o.log.error({ deadLetter: letter }, 'message dead-lettered');
  }
}
