import type { Logger } from '../shared/logger.js';

/** What delivery tells about its jobs: ids grow, and a coalesced job keeps the older id. */
export interface JobWatermark {
  readonly lastJobId: number;
  oldestUnsettledJobId(): number | undefined;
}

export interface EntryAcksDeps {
  jobs: JobWatermark;
  /** Resolves once every state change recorded so far is stored. */
  flush: () => Promise<void>;
  ack: (id: string) => Promise<void>;
  log: Logger;
}

/**
 * Acknowledges stream entries once everything they caused is settled. Each dispatched entry is
 * recorded with the highest job id issued by then; once no job up to that id is still waiting
 * (delivered or dead-lettered; held alerts and escalations are in the journal already), and
 * the journal is flushed, the entry is acked. Entries settle in dispatch order, so the ready
 * ones are always a prefix.
 */
export class EntryAcks {
  #entries: Array<{ id: string; upTo: number }> = [];
  #settling: Promise<number> | undefined;

  constructor(private readonly deps: EntryAcksDeps) {}

  /** Entries dispatched and not acked yet. */
  get waiting(): number {
    return this.#entries.length;
  }

  /** An entry was handed to routing (whatever it queued, if anything). */
  dispatched(id: string): void {
    this.#entries.push({ id, upTo: this.deps.jobs.lastJobId });
  }

  /** Acks what is settled; one pass at a time. Resolves to the number acked. */
  settle(): Promise<number> {
    return (this.#settling ??= this.#settle().finally(() => (this.#settling = undefined)));
  }

  async #settle(): Promise<number> {
    const oldest = this.deps.jobs.oldestUnsettledJobId() ?? Infinity;
    let n = 0;
    while (n < this.#entries.length && this.#entries[n]!.upTo < oldest) n++;
    if (n === 0) return 0;
    const ready = this.#entries.slice(0, n);
    try {
      await this.deps.flush();
      await Promise.all(ready.map((e) => this.deps.ack(e.id)));
    } catch (err) {
      // Kept: acked on the next pass; an entry acked twice is harmless.
      this.deps.log.warn({ err: (err as Error).message, entries: n }, 'could not ack stream entries yet');
      return 0;
    }
    this.#entries.splice(0, n);
    return n;
  }
}
