import type { ResolvedTarget } from '../config/load.js';
import { LIMITS } from '../discord/limits.js';
import type { DiscordMessage } from '../discord/message.js';
import type { Priority } from '../routing/severity.js';
import { Alarm } from '../shared/alarm.js';
import type { Clock } from '../shared/clock.js';
import type { DeliveryEvents, Outcome } from './delivery-events.js';
import type { Endpoint, Sent } from './endpoint.js';
import type { EndpointPool } from './endpoint-pool.js';
import { GroupQueue, type Group } from './group-queue.js';
import type { Job } from './job.js';
import { ARCHIVED, judgeAnswer, type JudgePolicy, type Verdict } from './judge-answer.js';
import type { MessagePlanner } from './message-planner.js';
import { joinDigest, joinMessages, type Joined } from './pack.js';
import { ArrivalLog, chooseDigest, DIGEST_LINGER_MS, richMessages } from './storm-density.js';

/** How long the loop waits after an unexpected error outside any one job's send. */
const ERROR_PAUSE_MS = 1000;

/** Groups looked at behind the one being sent, for messages to pack with it. */
const PACK_LOOKAHEAD = 50;

/** How the scheduler sends: the limits and choices config gives it. */
export interface SchedulerPolicy extends JudgePolicy {
  /** Pack messages waiting for the same webhook into one request when the budget is short. */
  pack: boolean;
  maxAgeMs: number;
  agingMs: number;
  /** Backlog drain time beyond which a target's messages are rendered as digests (Infinity: never). */
  digestAfterMs: (target: ResolvedTarget) => number;
}

export interface SchedulerOptions {
  clock: Clock;
  /**
   * Rendering happens here, when a job is about to be sent: what to send is decided late.
   * The planner renders (in the storm format when the backlog is too long to drain in time)
   * and decides which parts are new messages and which edit ones already there.
   */
  planner: MessagePlanner;
  pool: EndpointPool;
  events: DeliveryEvents;
  policy: SchedulerPolicy;
}

interface Lane {
  target: ResolvedTarget;
  queue: GroupQueue;
  endpoints: Endpoint[];
  /** Rendering with the digest template while the backlog is long. */
  digest: boolean;
  arrivals: ArrivalLog;
  /** Group key → the planned, unfinished job whose plan may change that group's messages. */
  claims: Map<string, Job>;
}

/** One job's share of a request: its group and the part being sent. */
interface Packed {
  group: Group;
  job: Job;
}

/**
 * Decides what goes to Discord next. One queue per target; whenever a budget frees up, an
 * answer arrives or a job is queued, the most urgent ready group of each target is matched
 * with a webhook of its pool that may send now (breaker closed, bucket, channel window with
 * its critical reserve, global ceiling), least recently used first. Otherwise it sleeps until
 * the earliest moment something could go.
 */
export class Scheduler {
  readonly #lanes = new Map<string, Lane>();
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
  }

  push(job: Job): void {
    const lane = this.#lane(job.target);
    const replaced = lane.queue.push(job);
    if (replaced) {
      // Its plan (if it had one) is gone with it: the newer state is planned afresh.
      this.#release(lane, replaced);
      this.o.events.coalesced(replaced);
    }
    // A newer state of a queued group needs no message of its own.
    else lane.arrivals.record(this.o.clock.now(), richMessages(job));
    this.#requestPump();
  }

  get size(): number {
    let n = 0;
    for (const lane of this.#lanes.values()) n += lane.queue.size;
    return n;
  }

  depth(priority: Priority): number {
    let n = 0;
    for (const lane of this.#lanes.values()) n += lane.queue.depth(priority);
    return n;
  }

  oldest(): number | undefined {
    let oldest: number | undefined;
    for (const lane of this.#lanes.values()) {
      const t = lane.queue.oldest();
      if (t !== undefined && (oldest === undefined || t < oldest)) oldest = t;
    }
    return oldest;
  }

  /** Every queued job, for the status page. */
  queuedJobs(): Job[] {
    return [...this.#lanes.values()].flatMap((lane) => lane.queue.jobs());
  }

  /** Webhooks of a target still in rotation. */
  liveEndpoints(target: ResolvedTarget): number {
    return this.#lane(target).endpoints.filter((e) => !e.gone).length;
  }

  /** Stops sending; waits up to `graceMs` for requests on their way; hands back what is left. */
  async stop(graceMs: number): Promise<Job[]> {
    this.#stopped = true;
    this.#alarm.stop();
    const grace = new AbortController();
    await Promise.race([Promise.allSettled([...this.#inFlight]), this.o.clock.sleep(graceMs, grace.signal)]);
    grace.abort();
    this.#closed = true;
    return [...this.#lanes.values()].flatMap((lane) => lane.queue.clear());
  }

  /**
   * One lane per target and webhook pool: a reload that rotates a target's webhook URL (a new
   * webhook, or a new token of the same one) starts a new lane, while messages queued before it
   * drain through the webhooks they were queued for.
   */
  #lane(target: ResolvedTarget): Lane {
    const key = `${target.name}\u0000${target.webhooks.map((w) => w.key).join(',')}`;
    let lane = this.#lanes.get(key);
    if (!lane) {
      this.#forgetDrainedLanes(target.name);
      lane = {
        target,
        queue: new GroupQueue(this.o.policy.agingMs),
        endpoints: this.o.pool.of(target),
        digest: false,
        arrivals: new ArrivalLog(),
        claims: new Map(),
      };
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  /** Lanes of an older pool of this target that have nothing left to send. */
  #forgetDrainedLanes(name: string): void {
    for (const [key, lane] of this.#lanes) {
      if (lane.target.name === name && lane.queue.size === 0) this.#lanes.delete(key);
    }
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
      this.#unexpected(err, {});
      this.#wake(now + ERROR_PAUSE_MS);
    }
  }

  #pass(now: number): void {
    this.#retries = this.#retries.filter((t) => t > now);
    let wake = this.#retries.reduce((a, b) => Math.min(a, b), Infinity);
    for (const lane of this.#lanes.values()) {
      this.#expire(lane, now);
      this.#density(lane, now);
      // A storm's digest ends once its arrivals leave the window, queue empty or not.
      if (lane.digest) wake = Math.min(wake, lane.arrivals.nextExpiry() ?? Infinity);
      wake = Math.min(wake, this.#fill(lane, now));
      // The oldest job may be on its way already (then its answer brings the next pass).
      const expiry = (lane.queue.oldest() ?? Infinity) + this.o.policy.maxAgeMs + 1;
      if (expiry > now) wake = Math.min(wake, expiry);
    }
    this.#wake(wake);
  }

  /** Digest or rich, from the backlog and the arrival rate against the channel's budget. */
  #density(lane: Lane, now: number): void {
    const afterMs = this.o.policy.digestAfterMs(lane.target);
    if (afterMs === Infinity && !lane.digest) return;
    const on = chooseDigest({
      digest: lane.digest,
      queued: lane.queue.jobs(),
      arrived: lane.arrivals.messages(now),
      drainMs: (messages) => this.o.pool.drainMs(lane.target, messages, now),
      afterMs,
    });
    if (on === lane.digest) return;
    lane.digest = on;
    this.o.events.digestMode(lane.target, on);
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
        if (this.#blocked(lane, group.jobs[0]!)) continue;
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
    this.#claim(lane, head);
    let message = first;
    const pack: Packed[] = [{ group, job: head }];
    // Only new messages share a request: an edit or delete changes one message already there.
    const route = (job: Job) => job.routes?.[job.sent];
    const isEdit = (job: Job) => (route(job)?.kind ?? 'post') !== 'post';
    if (behind && head.sent === head.parts!.length - 1 && !isEdit(head) && !head.alone) {
      // Looks a bounded way behind: one that does not fit (silent, too big) waits for its own turn.
      for (let n = 0, next = behind.next(); !next.done && n < PACK_LOOKAHEAD; n++, next = behind.next()) {
        const g = next.value;
        const job = g.jobs[0]!;
        if (this.#blockedQuietly(lane, job)) continue;
        const planned = job.parts !== undefined;
        const part = this.#renderQuietly(lane, job);
        const sameThread = route(job)?.threadId === route(head)?.threadId;
        const joined =
          part && job.sent === job.parts!.length - 1 && !isEdit(job) && !job.alone && sameThread
            ? this.#join(lane, message, part)
            : undefined;
        if (!joined) {
          // A plan made only to try packing is kept only when the group shares no message: else,
          // by its own turn, another group's plan may have changed what it planned against.
          if (!planned && this.o.planner.reach(job).length > 1) forgetPlan(job);
          continue;
        }
        this.#claim(lane, job);
        message = joined.message;
        // Urls made distinct across the pack are cuts like those of fitting.
        if (joined.urlChanges.length > 0) this.o.events.packed(joined.urlChanges);
        pack.push({ group: g, job });
        // A digest may still fill the content once the embeds are full.
        if (!lane.digest && (message.embeds?.length ?? 0) >= LIMITS.embedsPerMessage) break;
      }
    }
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

  /** A digest that no longer fits the embeds goes into the content, if there is room. */
  #join(lane: Lane, message: DiscordMessage, part: DiscordMessage): Joined | undefined {
    return lane.digest ? joinDigest(message, part) : joinMessages(message, part);
  }

  /** The job's next part, rendered on first use; a render failure dead-letters the job. */
  #render(lane: Lane, group: Group, job: Job): DiscordMessage | undefined {
    let part: DiscordMessage | undefined;
    try {
      part = this.#nextPart(lane, job);
    } catch (err) {
      this.#finish(lane, group, job, { delivered: false, reason: 'render_failed', detail: (err as Error).message });
      return undefined;
    }
    if (!part) this.#finish(lane, group, job, { delivered: true });
    return part;
  }

  /**
   * Renders the job on first use, and its next page only when the part after this one is
   * needed (to know whether this one is its last): a huge group costs a page per send.
   */
  #nextPart(lane: Lane, job: Job): DiscordMessage | undefined {
    const parts = (job.parts ??= this.o.planner.plan(job, lane.digest));
    while (parts.length <= job.sent + 1 && job.more?.()) {
      // Each call adds a page (possibly empty) until none is left.
    }
    return parts[job.sent];
  }

  /** For packing: a job that fails to render is left for its own turn, which records why. */
  #renderQuietly(lane: Lane, job: Job): DiscordMessage | undefined {
    try {
      return this.#nextPart(lane, job);
    } catch {
      return undefined;
    }
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
    this.#unexpected(err, { target: lane.target.name, groupKeys: pack.map((p) => p.job.notification.groupKey) });
    for (const { group, job } of pack) {
      try {
        this.#finish(lane, group, job, { delivered: false, reason: 'internal_error', detail });
      } catch (again) {
        this.#unexpected(again, { target: lane.target.name, groupKey: job.notification.groupKey });
      }
    }
  }

  #unexpected(err: unknown, context: Record<string, unknown>): void {
    this.o.events.unexpected(err, context);
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
    this.#apply(lane, pack, endpoint, verdict, now);
  }

  #apply(lane: Lane, pack: Packed[], endpoint: Endpoint, verdict: Verdict, now: number): void {
    const head = pack[0]!.job;
    switch (verdict.kind) {
      case 'accepted':
        for (const { group, job } of pack) {
          job.sent += 1;
          if (job.sent >= job.parts!.length) this.#finish(lane, group, job, { delivered: true });
        }
        return;
      case 'wait':
        return;
      case 'retry':
        head.attempts = verdict.attempts;
        for (const { job } of pack) {
          job.attempts = Math.max(job.attempts, head.attempts);
          job.notBefore = verdict.at;
        }
        this.#retries.push(verdict.at);
        this.#wake(verdict.at);
        return;
      case 'webhookGone':
        endpoint.gone = verdict.detail;
        this.o.events.webhookGone(lane.target, endpoint.webhookId ?? '', verdict.detail);
        // The message goes out through another webhook of the pool, if one is left.
        return;
      case 'giveUp':
        for (const { group, job } of pack) {
          this.#finish(lane, group, job, { delivered: false, reason: verdict.reason, detail: verdict.detail });
        }
        return;
      case 'postAnew':
        // Deleted by someone, or posted before a restart: the part goes out as a new message.
        head.routes![head.sent] = verdict.route;
        this.#apply(lane, pack, endpoint, { kind: 'retry', at: now, attempts: head.attempts }, now);
        return;
      case 'reopen':
      // Resolved when judged.
    }
  }

  /** Whether a group this job reaches is claimed by another job's plan still running. */
  #blocked(lane: Lane, job: Job): boolean {
    // A job planned already holds its claims: it goes on with its plan.
    if (lane.claims.size === 0 || job.parts !== undefined) return false;
    const reach = this.o.planner.reach(job);
    return reach.some((g) => {
      const owner = lane.claims.get(g);
      return owner !== undefined && owner !== job;
    });
  }

  /** For packing: a job whose reach cannot be told is left for its own turn, which records why. */
  #blockedQuietly(lane: Lane, job: Job): boolean {
    try {
      return this.#blocked(lane, job);
    } catch {
      return true;
    }
  }

  /** A job just planned holds the groups it reaches until it is done. */
  #claim(lane: Lane, job: Job): void {
    for (const g of this.o.planner.reach(job)) if (!lane.claims.has(g)) lane.claims.set(g, job);
  }

  #release(lane: Lane, job: Job): void {
    for (const [g, owner] of lane.claims) if (owner === job) lane.claims.delete(g);
  }

  #finish(lane: Lane, group: Group, job: Job, outcome: Outcome): void {
    if (group.jobs[0] !== job) return;
    this.#release(lane, job);
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
    lane.claims.clear();
    for (const job of lane.queue.clear()) this.#done(job, { delivered: false, reason: 'webhook_gone', detail });
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

/** Drops a job's plan, so it is planned again when it is sent. */
function forgetPlan(job: Job): void {
  job.parts = undefined;
  job.routes = undefined;
  job.more = undefined;
}
