import type { ResolvedTarget } from '../config/load.js';
import type { Priority } from '../shared/severity.js';
import type { EndpointPool } from './endpoint-pool.js';
import type { Job } from './job.js';
import { Lane } from './lane.js';

/**
 * One lane per target and webhook pool: a reload that rotates a target's webhook URL (a new
 * webhook, or a new token of the same one) starts a new lane, while messages queued before it
 * drain through the webhooks they were queued for.
 */
export class Lanes {
  readonly #lanes = new Map<string, Lane>();

  constructor(
    private readonly pool: EndpointPool,
    private readonly agingMs: number,
  ) {}

  of(target: ResolvedTarget): Lane {
    const key = `${target.name}\u0000${target.webhooks.map((w) => w.key).join(',')}`;
    let lane = this.#lanes.get(key);
    if (!lane) {
      this.#forgetDrained(target.name);
      lane = new Lane(target, this.pool.of(target), this.agingMs);
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  all(): IterableIterator<Lane> {
    return this.#lanes.values();
  }

  get size(): number {
    let n = 0;
    for (const lane of this.all()) n += lane.queue.size;
    return n;
  }

  depth(priority: Priority): number {
    let n = 0;
    for (const lane of this.all()) n += lane.queue.depth(priority);
    return n;
  }

  oldest(): number | undefined {
    let oldest: number | undefined;
    for (const lane of this.all()) {
      const t = lane.queue.oldest();
      if (t !== undefined && (oldest === undefined || t < oldest)) oldest = t;
    }
    return oldest;
  }

  /** Every queued job, for the status page. */
  jobs(): Job[] {
    return [...this.all()].flatMap((lane) => lane.queue.jobs());
  }

  /** Lanes of an older pool of this target that have nothing left to send. */
  #forgetDrained(name: string): void {
    for (const [key, lane] of this.#lanes) {
      if (lane.target.name === name && lane.queue.size === 0) this.#lanes.delete(key);
    }
  }
}
