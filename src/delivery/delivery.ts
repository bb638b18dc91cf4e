import type { Notification } from '../alertmanager/payload.js';
import type { ResolvedTarget } from '../config/load.js';
import type { MessageSink } from '../discord/client.js';
import type { DiscordMessage } from '../discord/message.js';
import type { SendResult } from '../discord/send-result.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { BackoffPolicy } from './backoff.js';
import { DeadLetterRing, type DeadLetter } from './dead-letters.js';
import { dryRunSender, type LineWriter } from './dry-run.js';
import { alertIdentities, type Job } from './job.js';
import { Lane, type LaneSnapshot } from './lane.js';

export interface DeliveryOptions {
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  sink: MessageSink;
  dryRunOut: LineWriter;
  render: (job: Job) => DiscordMessage[];
  backoff: BackoffPolicy;
  maxAttempts: number;
  maxAgeMs: number;
  queueLimit: number;
  deadLetterCapacity?: number;
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

/** A read-only view for the status page; the scheduler adds priorities and breakers. */
export interface DeliverySnapshot {
  queued: number;
  queueLimit: number;
  lanes: LaneSnapshot[];
  /** Oldest first. */
  recentAttempts: readonly DeliveryAttempt[];
  /** The bounded ring, oldest first; `deadLettersTotal` counts every one since start. */
  deadLetters: readonly DeadLetter[];
  deadLettersTotal: number;
}

const RECENT_ATTEMPTS = 50;

/** The lanes, one per webhook: where accepted notifications wait until Discord has them. */
export class Delivery {
  readonly deadLetters: DeadLetterRing;
  readonly #lanes = new Map<string, Lane>();
  readonly #recentAttempts: DeliveryAttempt[] = [];
  #deadLettersTotal = 0;
  #queued = 0;
  #nextId = 1;
  #accepting = true;
  #idle: (() => void) | undefined;

  constructor(private readonly o: DeliveryOptions) {
    this.deadLetters = new DeadLetterRing(o.deadLetterCapacity ?? 1000);
  }

  get queued(): number {
    return this.#queued;
  }

  /** All-or-nothing: a notification is either queued for every target or refused (503). */
  enqueue(notification: Notification, targets: readonly ResolvedTarget[], options: EnqueueOptions = {}): EnqueueResult {
    if (!this.#accepting) return { ok: false, reason: 'shutting_down' };
    if (this.#queued + targets.length > this.o.queueLimit) return { ok: false, reason: 'queue_full' };
    const now = this.o.clock.now();
    for (const target of targets) {
      const job: Job = {
        id: this.#nextId++,
        target,
        notification,
        receivedAt: now,
        attempts: 0,
        parts: undefined,
        sent: 0,
        ...options,
      };
      this.#laneFor(target).push(job);
      this.#queued += 1;
    }
    return { ok: true, jobs: targets.length };
  }

  snapshot(): DeliverySnapshot {
    const now = this.o.clock.now();
    return {
      queued: this.#queued,
      queueLimit: this.o.queueLimit,
      lanes: [...this.#lanes.values()].map((lane) => lane.snapshot(now)),
      recentAttempts: [...this.#recentAttempts],
      deadLetters: [...this.deadLetters.list()],
      deadLettersTotal: this.#deadLettersTotal,
    };
  }

  /** Stops accepting, lets the lanes work until empty or the deadline, dead-letters the rest. */
  async drain(deadlineMs: number): Promise<void> {
    this.#accepting = false;
    if (this.#queued > 0) {
      const idle = new Promise<void>((resolve) => (this.#idle = resolve));
      const timeout = new AbortController();
      await Promise.race([idle, this.o.clock.sleep(deadlineMs, timeout.signal)]);
      timeout.abort();
    }
    for (const lane of this.#lanes.values()) {
      for (const job of await lane.stop()) {
        this.#deadLetter(job, 'shutdown', 'still queued when the shutdown deadline passed');
      }
    }
  }

  #laneFor(target: ResolvedTarget): Lane {
    const key = target.webhook ? `webhook:${target.webhook.id}` : `dry-run:${target.name}`;
    let lane = this.#lanes.get(key);
    if (!lane) {
      const webhook = target.webhook;
      const { sink, metrics } = this.o;
      lane = new Lane({
        name: key,
        webhookId: webhook?.id,
        send: webhook ? (m) => sink.execute(webhook, m) : dryRunSender(target.name, this.o.dryRunOut),
        render: this.o.render,
        clock: this.o.clock,
        log: this.o.log,
        metrics,
        backoff: this.o.backoff,
        maxAttempts: this.o.maxAttempts,
        maxAgeMs: this.o.maxAgeMs,
        onDone: (job, outcome) => {
          this.#queued -= 1;
          if (!outcome.delivered) this.#deadLetter(job, outcome.reason, outcome.detail);
          if (this.#queued === 0) this.#idle?.();
        },
        onAttempt: (job, result, latencyMs) => {
          this.#recentAttempts.push({
            at: this.o.clock.now(),
            target: job.target.name,
            webhookId: webhook?.id,
            alerts: job.notification.alerts.length,
            latencyMs,
            result: result.kind,
            status: result.status,
          });
          if (this.#recentAttempts.length > RECENT_ATTEMPTS) this.#recentAttempts.shift();
        },
      });
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  #deadLetter(job: Job, reason: DeadLetter['reason'], detail: string): void {
    const letter: DeadLetter = {
      at: new Date(this.o.clock.now()).toISOString(),
      target: job.target.name,
      webhookId: job.target.webhook?.id,
      reason,
      detail,
      groupKey: job.notification.groupKey,
      alerts: alertIdentities(job.notification),
    };
    this.deadLetters.add(letter);
    this.#deadLettersTotal += 1;
    this.o.metrics.deadLetters.inc({ reason });
    this.o.log.error({ deadLetter: letter }, 'message dead-lettered');
  }
}
