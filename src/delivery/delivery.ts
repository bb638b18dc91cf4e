import type { Notification } from '../alertmanager/payload.js';
import type { ResolvedTarget } from '../config/load.js';
import type { Metrics } from '../metrics/metrics.js';
import type { SeverityModel } from '../shared/severity.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { deadLetterOf, unsentLetter } from './dead-letter-of.js';
import type { StateJournal } from '../state/journal.js';
import type { Restorable } from '../state/restorable.js';
import { DeadLetterRing, type DeadLetter, type DeadLetters } from './dead-letters.js';
import type { DeliveryEvents, Outcome } from './delivery-events.js';
import { RecentAttempts, type DeliverySnapshot } from './delivery-snapshot.js';
import { EndpointPool, type EndpointPoolOptions } from './endpoint-pool.js';
import { jobPriority, type Job } from './job.js';
import { LoggedEvents } from './logged-events.js';
import type { MessagePlanner } from './message-planner.js';
import { notificationBytes } from './notification-bytes.js';
import { InvalidRequests } from './rate-limit/invalid-requests.js';
import { Scheduler } from './scheduler.js';
import type { SchedulerPolicy } from './scheduler-options.js';
import { webhookGoneNotice } from './webhook-gone-notice.js';

/** How much may wait: entries and bytes, shared with what routing keeps for later posts. */
interface QueueLimits {
  entries: number;
  bytes: number;
  /** What routing keeps for later posts (held alerts, escalations): it shares the queue's limits. */
  reserved?: () => { entries: number; bytes: number };
  deadLetterCapacity: number;
}

export interface DeliveryOptions {
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** Plans each job's parts against the messages already in Discord (the message lifecycle). */
  planner: MessagePlanner;
  endpoints: Omit<EndpointPoolOptions, 'clock' | 'events' | 'journal'>;
  policy: SchedulerPolicy;
  queue: QueueLimits;
  severities: SeverityModel;
  /** Looks a target up by name (for `fallback_target`). */
  target: (name: string) => ResolvedTarget | undefined;
  /** Where dead letters and channel windows are recorded (spaces `dead-letters`, `channel-windows`); none by default. */
  journal?: StateJournal;
}

/** What routing adds to every job of one enqueue call. */
export interface EnqueueOptions {
  flags?: number;
  note?: string;
  /** A stream entry handled again after a failover: the message may show this state already. */
  replay?: boolean;
}

export type EnqueueResult = { ok: true; jobs: number } | { ok: false; reason: 'queue_full' | 'shutting_down' };

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
  readonly #pool: EndpointPool;
  /** The books, logged and counted on their way. */
  readonly #events: DeliveryEvents;
  readonly #invalid = new InvalidRequests();
  readonly #recentAttempts = new RecentAttempts();
  #bytes = 0;
  #nextId = 1;
  #accepting = true;
  #idle: (() => void) | undefined;

  constructor(private readonly o: DeliveryOptions) {
    const { clock, metrics } = o;
    this.deadLetters = new DeadLetterRing(o.queue.deadLetterCapacity, o.journal);
    this.#events = new LoggedEvents(o.log, metrics, this.#books(), () => clock.now());
    this.#pool = new EndpointPool({ ...o.endpoints, clock, events: this.#events, journal: o.journal });
    this.#scheduler = new Scheduler({
      clock,
      planner: o.planner,
      pool: this.#pool,
      events: this.#events,
      policy: o.policy,
    });
    metrics.observeQueue({
      depth: (p) => this.#scheduler.lanes.depth(p),
      oldestSeconds: () => {
        const oldest = this.#scheduler.lanes.oldest();
        return oldest === undefined ? 0 : Math.max(0, (clock.now() - oldest) / 1000);
      },
      bytes: () => this.#bytes,
      invalidRequests: () => this.#invalid.lastTenMinutes(clock.now()),
    });
  }

  /** What was learned about Discord's channel windows, for a dispatcher taking over to restore. */
  get channelWindows(): Restorable {
    return this.#pool.channelWindows;
  }

  /** Messages waiting (one per notification and target). */
  get queued(): number {
    return this.#scheduler.lanes.size;
  }

  /** The id of the job queued last (ids only grow; a coalesced job keeps the older id). */
  get lastJobId(): number {
    return this.#nextId - 1;
  }

  /** The smallest id of a job not yet delivered or dead-lettered; undefined when none waits. */
  oldestUnsettledJobId(): number | undefined {
    let oldest: number | undefined;
    for (const job of this.#scheduler.lanes.jobs()) if (oldest === undefined || job.id < oldest) oldest = job.id;
    return oldest;
  }

  /** Whether a webhook may still edit what it posted: one of its URLs still works. */
  webhookLive(webhookId: string): boolean {
    return this.#pool.live(webhookId);
  }

  /** All-or-nothing: a notification is either queued for every target or refused (503). */
  enqueue(notification: Notification, targets: readonly ResolvedTarget[], options: EnqueueOptions = {}): EnqueueResult {
    if (!this.#accepting) return { ok: false, reason: 'shutting_down' };
    const { entries: limit, bytes: bytesLimit } = this.o.queue;
    const bytes = notificationBytes(notification);
    const kept = this.o.queue.reserved?.() ?? NOTHING_KEPT;
    const full =
      this.queued + targets.length > limit ||
      // An empty queue takes any one notification, so an oversized one cannot be refused
      // forever, and alerts kept for later cannot keep out every live one.
      (this.queued > 0 &&
        (this.queued + kept.entries + targets.length > limit ||
          this.#bytes + kept.bytes + bytes * targets.length > bytesLimit));
    if (full) return { ok: false, reason: 'queue_full' };
    for (const target of targets) this.#push(notification, target, bytes, options);
    return { ok: true, jobs: targets.length };
  }

  /** A notification routing kept for a target and can no longer send: a dead letter (reason shutdown). */
  deadLetterUnsent(notification: Notification, target: string, detail: string): void {
    const priority = jobPriority(notification, this.o.severities);
    this.#events.deadLettered(unsentLetter(notification, target, priority, detail, this.o.clock.now()));
  }

  /** Whether routing may keep this much more for later posts within the shared limits. */
  room(more: { entries: number; bytes: number }): boolean {
    const kept = this.o.queue.reserved?.() ?? NOTHING_KEPT;
    const entries = this.queued + kept.entries;
    // Nothing queued or kept: any one notification fits, as in enqueue.
    if (entries === 0) return true;
    return (
      entries + more.entries <= this.o.queue.entries && this.#bytes + kept.bytes + more.bytes <= this.o.queue.bytes
    );
  }

  /** The state of every webhook of these targets, the queue, recent answers and dead letters. */
  snapshot(targets: Iterable<ResolvedTarget>): DeliverySnapshot {
    return {
      queued: this.queued,
      queueLimit: this.o.queue.entries,
      endpoints: this.#pool.snapshot(targets, this.o.clock.now()),
      jobs: this.#scheduler.lanes.jobs(),
      recentAttempts: this.#recentAttempts.list(),
      deadLetters: this.deadLetters.list(),
      deadLettersTotal: this.deadLetters.total,
    };
  }

  /**
   * Stops accepting, lets the queue drain until empty or the deadline, dead-letters the rest —
   * unless `keepUnsent`: with a shared stream what is left stays pending for the next dispatcher.
   */
  async drain(deadlineMs: number, o: { keepUnsent?: boolean } = {}): Promise<void> {
    this.#accepting = false;
    if (this.queued > 0) {
      const idle = new Promise<void>((resolve) => (this.#idle = resolve));
      const timeout = new AbortController();
      await Promise.race([idle, this.o.clock.sleep(deadlineMs, timeout.signal)]);
      timeout.abort();
    }
    const left = await this.#scheduler.stop(STOP_GRACE_MS);
    if (o.keepUnsent) {
      if (left.length > 0) this.o.log.info({ jobs: left.length }, 'left undelivered for the next dispatcher');
      return;
    }
    for (const job of left) {
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
      ...(options.replay ? { replay: true } : {}),
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

  #deadLetter(job: Job, outcome: Extract<Outcome, { delivered: false }>): void {
    this.#events.deadLettered(deadLetterOf(job, outcome, this.o.clock.now()));
  }

  /** The plain events: the queue's bytes, recent answers, dead letters, fallback notices. */
  #books(): DeliveryEvents {
    const nothing = () => {};
    return {
      coalesced: (replaced: Job) => void (this.#bytes -= replaced.bytes),
      answer: (sent, jobs, webhookId, latencyMs) => {
        const now = this.o.clock.now();
        this.#invalid.record(sent.result, now);
        this.#recentAttempts.record(sent, jobs, webhookId, latencyMs, now);
      },
      done: (job: Job, outcome: Outcome) => {
        this.#bytes -= job.bytes;
        if (!outcome.delivered) this.#deadLetter(job, outcome);
        if (this.queued === 0) this.#idle?.();
      },
      webhookGone: (target: ResolvedTarget, webhookId: string, detail: string) =>
        this.#fallbackNotice(target, webhookId, detail),
      deadLettered: (letter: DeadLetter) => this.deadLetters.add(letter),
      digestMode: nothing,
      judged: nothing,
      unpacked: nothing,
      packed: nothing,
      webhookAdded: nothing,
      breakerChanged: nothing,
      unexpected: nothing,
    };
  }

  /** Tells the target's fallback target that one of its webhooks is gone. */
  #fallbackNotice(target: ResolvedTarget, webhookId: string, detail: string): void {
    const fallback = target.fallback_target === undefined ? undefined : this.o.target(target.fallback_target);
    if (!fallback || !this.#accepting) return;
    const remaining = this.#scheduler.liveEndpoints(target);
    const notice = webhookGoneNotice(target.name, webhookId, detail, remaining, this.o.clock.now());
    // A notice of our own is tiny and must not be refused by a full queue.
    this.#push(notice, fallback, notificationBytes(notice));
  }
}
