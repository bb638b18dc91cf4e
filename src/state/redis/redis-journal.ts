import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.js';
import type { StateJournal, StateSnapshot, StateSpace } from '../journal.js';
import type { RedisKeys } from './redis-keys.js';

export interface RedisJournalOptions {
  redis: Redis;
  keys: RedisKeys;
  /** The lease value of this writer's tenure (`LeaseGrant.fence`): writes happen only while it holds. */
  fence: string;
  /** Entries a space keeps, and what load returns at most; beyond it the closest to expiry go. Default 100000. */
  maxEntriesPerSpace?: number;
  /** Changes per round trip; default 500. */
  maxBatch?: number;
  /** Wait before writing again after Redis failed; default 250 ms. */
  retryDelayMs?: number;
  /** Called once, when a write is refused because another process holds the lease. */
  onFenced?: () => void;
  logger?: Logger;
}

/** A write was refused: the lease this journal was made for is no longer held by its writer. */
export class FencedError extends Error {
  readonly code = 'FENCED';
  constructor() {
    super('state write refused: the dispatcher lease is held by another process');
    this.name = 'FencedError';
  }
}

interface Change {
  seq: number;
  op: 'put' | 'del';
  space: StateSpace;
  key: string;
  value: string;
  ttlMs: number;
}

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * The journal of one dispatcher's tenure, in Redis: one key per entry (PX TTL) and a sorted set
 * per space for load. Changes recorded in one tick go in one round trip, in the order recorded,
 * through a script that first checks the lease's fencing value — a paused old dispatcher whose
 * lease was taken over cannot write (the journal is then `fenced` for good). A change recorded
 * again before it was written only replaces the queued value, so what waits is bounded by the
 * number of distinct entries. A failed write keeps the changes and retries them.
 */
export class RedisJournal implements StateJournal, StateSnapshot {
  readonly #o: Required<Omit<RedisJournalOptions, 'onFenced' | 'logger'>> & RedisJournalOptions;
  /** Not yet written, in the order first recorded; a re-recorded entry keeps its place and seq. */
  #queued = new Map<string, Change>();
  #seq = 0;
  /** Every change with seq up to this is stored. */
  #stored = 0;
  #waiters: Waiter[] = [];
  #writing = false;
  #timer: NodeJS.Timeout | undefined;
  #fenced = false;
  #closed = false;

  constructor(options: RedisJournalOptions) {
    this.#o = { maxEntriesPerSpace: 100_000, maxBatch: 500, retryDelayMs: 250, ...options };
  }

  get fenced(): boolean {
    return this.#fenced;
  }

  put(space: StateSpace, key: string, value: unknown, ttlMs?: number): void {
    this.#record(space, key, 'put', JSON.stringify(value), ttlMs === undefined ? 0 : Math.max(1, Math.ceil(ttlMs)));
  }

  remove(space: StateSpace, key: string): void {
    this.#record(space, key, 'del', '', 0);
  }

  flush(): Promise<void> {
    if (this.#fenced) return Promise.reject(new FencedError());
    const seq = this.#seq;
    if (seq <= this.#stored) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ seq, resolve, reject }));
    this.#schedule(0);
    return done;
  }

  async load(space: StateSpace): Promise<ReadonlyArray<readonly [key: string, value: unknown]>> {
    const { redis, keys, maxEntriesPerSpace } = this.#o;
    const [seconds, micros] = await redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const members = await redis.zrangebyscore(keys.index(space), now, '+inf', 'LIMIT', 0, maxEntriesPerSpace);
    const out: (readonly [string, unknown])[] = [];
    for (let i = 0; i < members.length; i += 1000) {
      const chunk = members.slice(i, i + 1000);
      const values = await redis.mget(chunk.map((k) => keys.entry(space, k)));
      chunk.forEach((key, j) => {
        const value = values[j];
        if (value !== null && value !== undefined) out.push([key, JSON.parse(value) as unknown]);
      });
    }
    return out;
  }

  /** Stops writing; what is still queued is dropped (the next tenure restores from Redis). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#queued.clear();
    this.#rejectWaiters(new Error('journal closed'));
  }

  #record(space: StateSpace, key: string, op: Change['op'], value: string, ttlMs: number): void {
    if (this.#fenced || this.#closed) return;
    const id = `${space}\u0000${key}`;
    const queued = this.#queued.get(id);
    if (queued) Object.assign(queued, { op, value, ttlMs });
    else this.#queued.set(id, { seq: ++this.#seq, op, space, key, value, ttlMs });
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    if (this.#writing || this.#timer !== undefined || this.#closed) return;
    // setTimeout 0 rather than a microtask: every change of the current tick joins the batch.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#writeAll();
    }, delayMs);
  }

  async #writeAll(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queued.size > 0 && !this.#fenced && !this.#closed) {
        const batch = [...this.#queued.values()].slice(0, this.#o.maxBatch);
        for (const c of batch) this.#queued.delete(`${c.space}\u0000${c.key}`);
        let stored: boolean;
        try {
          stored = await this.#write(batch);
        } catch (err) {
          this.#requeue(batch);
          this.#o.logger?.warn({ err: (err as Error).message, changes: batch.length }, 'state write failed; retrying');
          this.#rejectWaiters(err as Error);
          this.#writing = false;
          this.#schedule(this.#o.retryDelayMs);
          return;
        }
        if (!stored) {
          this.#fence();
          break;
        }
        // An empty queue stores everything recorded: a requeued entry may carry an older seq.
        this.#stored = this.#queued.size === 0 ? this.#seq : (batch[batch.length - 1]?.seq ?? this.#stored);
        this.#resolveWaiters();
      }
    } finally {
      this.#writing = false;
    }
  }

  async #write(batch: Change[]): Promise<boolean> {
    const { keys, fence, maxEntriesPerSpace } = this.#o;
    const keyArgs: string[] = [keys.lease];
    const args: (string | number)[] = [fence, maxEntriesPerSpace];
    for (const c of batch) {
      keyArgs.push(keys.entry(c.space, c.key), keys.index(c.space));
      args.push(c.op, c.key, c.value, c.ttlMs);
    }
    return (await this.#o.redis.alertcordJournalWrite(keyArgs.length, ...keyArgs, ...args)) === 1;
  }

  /** A failed batch goes back in front, in its order; an entry recorded again meanwhile keeps the newer value. */
  #requeue(batch: Change[]): void {
    const next = new Map<string, Change>();
    for (const c of batch) {
      const id = `${c.space}\u0000${c.key}`;
      const newer = this.#queued.get(id);
      next.set(id, newer ? { ...newer, seq: c.seq } : c);
      this.#queued.delete(id);
    }
    for (const [id, c] of this.#queued) next.set(id, c);
    this.#queued = next;
  }

  #fence(): void {
    this.#fenced = true;
    this.#queued.clear();
    this.#o.logger?.warn('state write refused: another process holds the dispatcher lease');
    this.#rejectWaiters(new FencedError());
    this.#o.onFenced?.();
  }

  #resolveWaiters(): void {
    const ready = this.#waiters.filter((w) => w.seq <= this.#stored);
    this.#waiters = this.#waiters.filter((w) => w.seq > this.#stored);
    for (const w of ready) w.resolve();
  }

  #rejectWaiters(err: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(err);
  }
}
