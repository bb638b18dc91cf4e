import type { ResolvedTarget } from '../config/load.js';
import type { DiscordMessage } from '../discord/message.js';
import { Alarm } from '../shared/alarm.js';
import type { Outcome } from './delivery-events.js';
import type { Endpoint, Sent } from './endpoint.js';
import type { Group } from './group-queue.js';
import type { Job } from './job.js';
import { ARCHIVED, judgeAnswer } from './judge-answer.js';
import type { SchedulerOptions } from './scheduler-options.js';
import type { Lane, Packed } from './lane.js';
import { Lanes } from './lanes.js';
import { nextPart } from './next-part.js';
import { packBehind } from './pack-behind.js';
import { settle } from './settle.js';
import { DIGEST_LINGER_MS, richMessages } from './storm-density.js';

/** How long the loop waits after an unexpected error outside any one job's send. */
const ERROR_PAUSE_MS = 1000;

/**
 * Decides what goes to Discord next. One queue per target; whenever a budget frees up, an
 * answer arrives or a job is queued, the most urgent ready group of each target is matched
 * with a webhook of its pool that may send now (breaker closed, bucket, channel window with
 * its critical reserve, global ceiling), least recently used first. Otherwise it sleeps until
 * the earliest moment something could go.
 */
export class Scheduler {
  /** The queues, for the counts and the status page. */
  readonly lanes: Lanes;
  readonly #inFlight = new Set<Promise<void>>();
  /** When jobs waiting out a retry backoff become ready. */
  #retries: number[] = [];
  /** The next pass when nothing else brings one sooner. */
  readonly #alarm: Alarm;
  #pumpQueued = false;
  /** No new sends; answers still count. */
  #stopped = false;
  /** The queue was handed back: late answers are ignored. */
  #closed = false;

  constructor(private readonly o: SchedulerOptions) {
    this.#alarm = new Alarm(o.clock, () => this.#requestPump());
    this.lanes = new Lanes(o.pool, o.policy.agingMs);
  }

  push(job: Job): void {
    const lane = this.lanes.of(job.target);
    const replaced = lane.queue.push(job);
    if (replaced) {
      // Its plan (if it had one) is gone with it: the newer state is planned afresh.
      lane.release(replaced);
      this.o.events.coalesced(replaced);
    }
    // A newer state of a queued group needs no message of its own.
    else lane.arrivals.record(this.o.clock.now(), richMessages(job));
    this.#requestPump();
  }

  /** Webhooks of a target still in rotation. */
  liveEndpoints(target: ResolvedTarget): number {
    return this.lanes.of(target).endpoints.filter((e) => !e.gone).length;
  }

  /** Stops sending; waits up to `graceMs` for requests on their way; hands back what is left. */
  async stop(graceMs: number): Promise<Job[]> {
    this.#stopped = true;
    this.#alarm.stop();
    const grace = new AbortController();
    await Promise.race([Promise.allSettled([...this.#inFlight]), this.o.clock.sleep(graceMs, grace.signal)]);
    grace.abort();
    this.#closed = true;
    return [...this.lanes.all()].flatMap((lane) => lane.queue.clear());
  }

  #requestPump(): void {
    if (this.#pumpQueued || this.#stopped) return;
    this.#pumpQueued = true;
    // Coalesce: a burst of queued jobs or answers leads to one pass.
    setImmediate(() => this.#pump());
  }

  #pump(): void {
    this.#pumpQueued = false;
    if (this.#stopped) return;
    const now = this.o.clock.now();
    try {
      this.#pass(now);
    } catch (err) {
      // Not tied to one job (those are dead-lettered where they fail): look again in a while,
      // rather than at once, so a bug that throws on every pass does not spin.
      this.o.events.unexpected(err, {});
      this.#wake(now + ERROR_PAUSE_MS);
    }
  }

  #pass(now: number): void {
    this.#retries = this.#retries.filter((t) => t > now);
    let wake = this.#retries.reduce((a, b) => Math.min(a, b), Infinity);
    for (const lane of this.lanes.all()) {
      this.#expire(lane, now);
      const afterMs = this.o.policy.digestAfterMs(lane.target);
      if (lane.density(now, afterMs, (messages) => this.o.pool.drainMs(lane.target, messages, now))) {
        this.o.events.digestMode(lane.target, lane.digest);
      }
      // A storm's digest ends once its arrivals leave the window, queue empty or not.
      if (lane.digest) wake = Math.min(wake, lane.arrivals.nextExpiry() ?? Infinity);
      wake = Math.min(wake, this.#fill(lane, now));
      // The oldest job may be on its way already (then its answer brings the next pass).
      const expiry = (lane.queue.oldest() ?? Infinity) + this.o.policy.maxAgeMs + 1;
      if (expiry > now) wake = Math.min(wake, expiry);
    }
    this.#wake(wake);
  }

  /** Starts every send that may go now in one lane; returns when to look again. */
  #fill(lane: Lane, now: number): number {
    if (lane.queue.size === 0) return Infinity;
    if (lane.endpoints.every((e) => e.gone)) {
      this.#giveUpLane(lane, 'every webhook of the target is gone (404/401)');
      return Infinity;
    }
    const ready = lane.queue.ready(now);
    let linger = Infinity;
    for (const group of ready) {
      const fillsAt = group.jobs[0]!.receivedAt + DIGEST_LINGER_MS;
      if (lane.digest && group.priority !== 'critical' && this.o.policy.pack && fillsAt > now) {
        // A digest waits a moment for more to share its request (a critical one takes them along).
        linger = Math.min(linger, fillsAt);
        continue;
      }
      let next: number | undefined;
      try {
        // Another job's plan is changing this group's messages: planned now, it would undo that.
        if (lane.blocked(group.jobs[0]!, this.o.planner)) continue;
        next = this.#fillGroup(lane, group, ready, now);
      } catch (err) {
        this.#failed(lane, [{ group, job: group.jobs[0]! }], err);
      }
      if (next !== undefined) return Math.min(linger, next);
    }
    return linger;
  }

  /** Starts the send of one group if a webhook may take it; else returns when one may. */
  #fillGroup(lane: Lane, group: Group, ready: Iterator<Group>, now: number): number | undefined {
    // Groups come most urgent first: once one cannot go, the rest cannot either.
    const pinned = this.o.planner.pinnedWebhook(group.jobs[0]!);
    const { chosen, free, waitMs } = this.o.pool.pick(lane.endpoints, pinned, now, group.priority === 'critical');
    if (!chosen) return now + waitMs;
    // With no other webhook free, the groups behind this one would wait for the budget
    // anyway: packing them into this request gets them there sooner.
    // A packed message is edited again whenever one of its groups changes (re-rendering its
    // neighbours too): targets that edit their messages pack only in a storm, when the
    // digest is on.
    const mayPack = this.o.policy.pack && free === 1 && (lane.digest || lane.target.resolve === 'new');
    this.#dispatch(lane, group, chosen, now, mayPack ? ready : undefined);
    return undefined;
  }

  #dispatch(lane: Lane, group: Group, endpoint: Endpoint, now: number, behind?: Iterator<Group>): void {
    const head = group.jobs[0]!;
    const first = this.#render(lane, group, head);
    if (!first) return;
    lane.claim(head, this.o.planner);
    const { message, pack, urlChanges } = packBehind(lane, this.o.planner, { group, job: head }, first, behind);
    if (urlChanges.length > 0) this.o.events.packed(urlChanges);
    for (const p of pack) {
      p.group.busy = true;
      p.job.webhookId = endpoint.webhookId;
    }
    endpoint.busy = true;
    endpoint.lastUsed = now;
    const sending = this.#send(lane, pack, endpoint, message).finally(() => {
      for (const p of pack) p.group.busy = false;
      endpoint.busy = false;
      this.#inFlight.delete(sending);
      this.#requestPump();
    });
    this.#inFlight.add(sending);
  }

  /** The job's next part, rendered on first use; a render failure dead-letters the job. */
  #render(lane: Lane, group: Group, job: Job): DiscordMessage | undefined {
    let part: DiscordMessage | undefined;
    try {
      part = nextPart(job, this.o.planner, lane.digest);
    } catch (err) {
      this.#finish(lane, group, job, { delivered: false, reason: 'render_failed', detail: (err as Error).message });
      return undefined;
    }
    if (!part) this.#finish(lane, group, job, { delivered: true });
    return part;
  }

  /** Never rejects: an exception here would be nobody's to catch. */
  async #send(lane: Lane, pack: Packed[], endpoint: Endpoint, message: DiscordMessage): Promise<void> {
    try {
      const started = this.o.clock.now();
      const head = pack[0]!.job;
      const sent = await endpoint.send(message, head.routes?.[head.sent]);
      const jobs = pack.map((p) => p.job);
      this.o.planner.answered(jobs, sent.result, endpoint.webhookId);
      this.o.events.answer(sent, jobs, endpoint.webhookId, this.o.clock.now() - started);
      if (this.#closed) return;
      this.#handle(lane, pack, endpoint, sent);
    } catch (err) {
      if (!this.#closed) this.#failed(lane, pack, err);
    }
  }

  /**
   * An exception where none should be (a bug), while these jobs were being sent or answered:
   * logged, counted, and the jobs dead-lettered. Whether Discord got the message is unknown,
   * and sending it again might throw again: a visible dead letter beats a loop that dies or a
   * job that never leaves the queue.
   */
  #failed(lane: Lane, pack: readonly Packed[], err: unknown): void {
    const detail = `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
    this.o.events.unexpected(err, {
      target: lane.target.name,
      groupKeys: pack.map((p) => p.job.notification.groupKey),
    });
    for (const { group, job } of pack) {
      try {
        this.#finish(lane, group, job, { delivered: false, reason: 'internal_error', detail });
      } catch (again) {
        this.o.events.unexpected(again, { target: lane.target.name, groupKey: job.notification.groupKey });
      }
    }
  }

  #handle(lane: Lane, pack: Packed[], endpoint: Endpoint, sent: Sent): void {
    const now = this.o.clock.now();
    const head = pack[0]!.job;
    if (pack.length > 1 && sent.result.kind === 'rejected' && sent.result.status === 400) {
      for (const { job } of pack) job.alone = true;
      this.o.events.unpacked(lane.target.name, endpoint.webhookId, sent.result, pack.length);
      return;
    }
    let verdict = judgeAnswer(sent, head, this.o.policy, now);
    // A forum post idle too long: a notice posted into it reopens it, then the edit goes again.
    if (verdict.kind === 'reopen') {
      verdict = this.o.planner.reopen(head) ? { kind: 'retry', at: now, attempts: head.attempts } : ARCHIVED;
    }
    this.o.events.judged(sent, head, verdict, { target: lane.target.name, webhookId: endpoint.webhookId, now });
    const { finished, retryAt, gone } = settle(pack, verdict, now);
    if (gone !== undefined) {
      endpoint.gone = gone;
      this.o.events.webhookGone(lane.target, endpoint.webhookId ?? '', gone);
    }
    if (retryAt !== undefined) {
      this.#retries.push(retryAt);
      this.#wake(retryAt);
    }
    for (const { packed, outcome } of finished) this.#finish(lane, packed.group, packed.job, outcome);
  }

  #finish(lane: Lane, group: Group, job: Job, outcome: Outcome): void {
    if (group.jobs[0] !== job) return;
    lane.release(job);
    lane.queue.shift(group);
    this.#done(job, outcome);
  }

  #expire(lane: Lane, now: number): void {
    const { maxAgeMs } = this.o.policy;
    for (const group of lane.queue.expired(now - maxAgeMs)) {
      this.#finish(lane, group, group.jobs[0]!, {
        delivered: false,
        reason: 'too_old',
        detail: `not delivered within ${maxAgeMs} ms`,
      });
    }
  }

  #giveUpLane(lane: Lane, detail: string): void {
    for (const job of lane.clear()) this.#done(job, { delivered: false, reason: 'webhook_gone', detail });
  }

  #done(job: Job, outcome: Outcome): void {
    if (outcome.delivered) this.o.planner.delivered(job);
    this.o.events.done(job, outcome);
  }

  /** Makes sure a pass runs at `at`; an earlier wake-up already set stays. */
  #wake(at: number): void {
    if (at !== Infinity) this.#alarm.set(at);
  }
}
