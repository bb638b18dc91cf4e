import type { StateJournal, StateSnapshot, StateSpace } from '../../src/state/journal.js';
import type { JournalEntries } from '../../src/state/restorable.js';

export type JournalChange =
  | { op: 'put'; space: StateSpace; key: string; value: unknown; ttlMs: number | undefined }
  | { op: 'remove'; space: StateSpace; key: string };

/**
 * A journal that writes down every change, and keeps the latest value of each entry the way a
 * shared journal does, so what one store recorded can be restored into another. Values are
 * passed through JSON, as a shared store would pass them.
 */
export class RecordingJournal implements StateJournal, StateSnapshot {
  readonly changes: JournalChange[] = [];
  readonly #latest = new Map<StateSpace, Map<string, unknown>>();

  put(space: StateSpace, key: string, value: unknown, ttlMs?: number): void {
    const json: unknown = JSON.parse(JSON.stringify(value));
    this.changes.push({ op: 'put', space, key, value: json, ttlMs });
    let entries = this.#latest.get(space);
    if (!entries) this.#latest.set(space, (entries = new Map()));
    entries.set(key, json);
  }

  remove(space: StateSpace, key: string): void {
    this.changes.push({ op: 'remove', space, key });
    this.#latest.get(space)?.delete(key);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** The live entries of a space, as a snapshot gives them. */
  entries(space: StateSpace): JournalEntries {
    return [...(this.#latest.get(space) ?? [])];
  }

  load(space: StateSpace): Promise<JournalEntries> {
    return Promise.resolve(this.entries(space));
  }
}
