import type { ResolvedTarget } from '../config/load.js';
import type { Endpoint } from './endpoint.js';
import { GroupQueue, type Group } from './group-queue.js';
import type { Job } from './job.js';
import type { MessagePlanner } from './message-planner.js';
import { ArrivalLog, chooseDigest } from './storm-density.js';

/** One job's share of a request: its group and the part being sent. */
export interface Packed {
  group: Group;
  job: Job;
}

/** One target's queue with the webhooks it drains through, its storm state and its plans' claims. */
export class Lane {
  readonly queue: GroupQueue;
  /** Rendering with the digest template while the backlog is long. */
  digest = false;
  readonly arrivals = new ArrivalLog();
  /** Group key → the planned, unfinished job whose plan may change that group's messages. */
  readonly #claims = new Map<string, Job>();

  constructor(
    readonly target: ResolvedTarget,
    readonly endpoints: Endpoint[],
    agingMs: number,
  ) {
    this.queue = new GroupQueue(agingMs);
  }

  /**
   * Digest or rich, from the backlog and the arrival rate against the channel's budget;
   * true when that changed. `drainMs`: how long the channel needs to take that many more.
   */
  density(now: number, afterMs: number, drainMs: (messages: number) => number): boolean {
    if (afterMs === Infinity && !this.digest) return false;
    const on = chooseDigest({
      digest: this.digest,
      queued: this.queue.jobs(),
      arrived: this.arrivals.messages(now),
      drainMs,
      afterMs,
    });
    if (on === this.digest) return false;
    this.digest = on;
    return true;
  }

  /** Whether a group this job reaches is claimed by another job's plan still running. */
  blocked(job: Job, planner: Pick<MessagePlanner, 'reach'>): boolean {
    // A job planned already holds its claims: it goes on with its plan.
    if (this.#claims.size === 0 || job.parts !== undefined) return false;
    return planner.reach(job).some((g) => {
      const owner = this.#claims.get(g);
      return owner !== undefined && owner !== job;
    });
  }

  /** A job just planned holds the groups it reaches until it is done. */
  claim(job: Job, planner: Pick<MessagePlanner, 'reach'>): void {
    for (const g of planner.reach(job)) if (!this.#claims.has(g)) this.#claims.set(g, job);
  }

  release(job: Job): void {
    for (const [g, owner] of this.#claims) if (owner === job) this.#claims.delete(g);
  }

  /** Hands back every queued job, claims and all. */
  clear(): Job[] {
    this.#claims.clear();
    return this.queue.clear();
  }
}
