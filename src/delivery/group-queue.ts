import { PRIORITIES, priorityRank, type Priority } from '../shared/severity.js';
import { coalesce, type Job } from './job.js';

/** The queued notifications of one alert group for one target, sent strictly in order. */
export interface Group {
  key: string;
  jobs: Job[];
  /** A part of its head job is on its way to Discord. */
  busy: boolean;
  /** Most urgent priority among its jobs: a later critical update pulls older ones along. */
  priority: Priority;
}

const CRITICAL_RANK = priorityRank('critical');
const age = (g: Group) => g.jobs[0]!.receivedAt;
const olderFirst = (a: Group, b: Group) => age(a) - age(b) || a.jobs[0]!.id - b.jobs[0]!.id;

/**
 * One target's queue. Groups are ordered by priority class, raised by one class per
 * `agingMs` of waiting so a low-priority backlog is never starved — but never up to critical:
 * a critical alert always goes first. Within a class, the oldest goes first. Jobs of one group
 * leave in arrival order, so Discord never shows an older state after a newer one; a group has
 * at most one job waiting behind the one on its way.
 */
export class GroupQueue {
  readonly #groups = new Map<string, Group>();
  readonly #byClass = new Map<Priority, Group[]>(PRIORITIES.map((p) => [p, []]));
  readonly #depth = new Map<Priority, number>(PRIORITIES.map((p) => [p, 0]));
  #size = 0;

  constructor(private readonly agingMs: number) {}

  get size(): number {
    return this.#size;
  }

  /** Queued jobs by their own priority. */
  depth(priority: Priority): number {
    return this.#depth.get(priority) ?? 0;
  }

  /**
   * Queues a job. A job of the same group still waiting (not on its way, no part accepted)
   * is replaced by the newer state of the group, so Discord never shows a replay of stale
   * states; the replaced job is handed back (its accounting ends there).
   */
  push(job: Job): Job | undefined {
    const key = job.notification.groupKey;
    let group = this.#groups.get(key);
    let replaced: Job | undefined;
    if (group) {
      this.#unlist(group);
      const last = group.jobs.length - 1;
      const tail = group.jobs[last]!;
      const started = last === 0 && (group.busy || tail.sent > 0);
      if (started) {
        group.jobs.push(job);
      } else {
        replaced = tail;
        this.#count(tail, -1);
        job = coalesce(tail, job);
        group.jobs[last] = job;
      }
      if (priorityRank(job.priority) > priorityRank(group.priority)) group.priority = job.priority;
    } else {
      group = { key, jobs: [job], busy: false, priority: job.priority };
      this.#groups.set(key, group);
    }
    this.#list(group);
    this.#count(job, 1);
    return replaced;
  }

  /** Takes a group's head job out (delivered or given up); the group moves on to its next. */
  shift(group: Group): Job {
    this.#unlist(group);
    const job = group.jobs.shift()!;
    this.#count(job, -1);
    if (group.jobs.length === 0) {
      this.#groups.delete(group.key);
    } else {
      group.priority = group.jobs.reduce<Priority>(
        (p, j) => (priorityRank(j.priority) > priorityRank(p) ? j.priority : p),
        'low',
      );
      this.#list(group);
    }
    return job;
  }

  /** Groups whose head may be sent now, most urgent first. */
  *ready(now: number): Generator<Group> {
    const cursors = PRIORITIES.map((p) => ({ list: this.#byClass.get(p)!, i: 0 }));
    for (;;) {
      let best: { c: (typeof cursors)[number]; score: number } | undefined;
      for (const c of cursors) {
        while (c.i < c.list.length && !this.#isReady(c.list[c.i]!, now)) c.i++;
        const g = c.list[c.i];
        if (!g) continue;
        const score = this.#score(g, now);
        if (!best || score > best.score || (score === best.score && olderFirst(g, best.c.list[best.c.i]!) < 0)) {
          best = { c, score };
        }
      }
      if (!best) return;
      yield best.c.list[best.c.i++]!;
    }
  }

  /** Head jobs received before `before`, not on their way: too old to deliver. */
  expired(before: number): Group[] {
    const out: Group[] = [];
    for (const list of this.#byClass.values()) {
      for (const g of list) {
        if (age(g) >= before) break;
        if (!g.busy) out.push(g);
      }
    }
    return out;
  }

  /** Arrival time of the oldest queued job. */
  oldest(): number | undefined {
    let oldest: number | undefined;
    for (const list of this.#byClass.values()) {
      const g = list[0];
      if (g && (oldest === undefined || age(g) < oldest)) oldest = age(g);
    }
    return oldest;
  }

  /** Every queued job, without taking it (status page). */
  jobs(): Job[] {
    return [...this.#groups.values()].flatMap((g) => g.jobs);
  }

  /** Empties the queue, handing back every job (shutdown). */
  clear(): Job[] {
    const jobs = [...this.#groups.values()].flatMap((g) => g.jobs);
    this.#groups.clear();
    for (const list of this.#byClass.values()) list.length = 0;
    for (const p of PRIORITIES) this.#depth.set(p, 0);
    this.#size = 0;
    return jobs;
  }

  #isReady(g: Group, now: number): boolean {
    return !g.busy && g.jobs[0]!.notBefore <= now;
  }

  #score(g: Group, now: number): number {
    const rank = priorityRank(g.priority);
    if (rank >= CRITICAL_RANK) return rank;
    return rank + Math.min((now - age(g)) / this.agingMs, CRITICAL_RANK - rank - 0.5);
  }

  #list(g: Group): void {
    const list = this.#byClass.get(g.priority)!;
    let i = list.length;
    while (i > 0 && olderFirst(list[i - 1]!, g) > 0) i--;
    list.splice(i, 0, g);
  }

  #unlist(g: Group): void {
    const list = this.#byClass.get(g.priority)!;
    const i = list.indexOf(g);
    if (i >= 0) list.splice(i, 1);
  }

  #count(job: Job, delta: number): void {
    this.#size += delta;
    this.#depth.set(job.priority, this.depth(job.priority) + delta);
  }
}
