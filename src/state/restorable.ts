import type { StateSnapshot, StateSpace } from './journal.js';

/** One space as a snapshot gives it back: every live entry, as last put. */
export type JournalEntries = ReadonlyArray<readonly [key: string, value: unknown]>;

/** What a restore made of a space: entries taken back, and entries dropped (invalid or expired). */
export interface RestoreCount {
  restored: number;
  dropped: number;
}

/** A store that a process taking over rebuilds from what the previous one journaled. */
export interface Restorable {
  /** Rebuilds the in-memory copy (without journaling it again); `now` is the store's clock. */
  restore(entries: JournalEntries, now: number): RestoreCount;
}

/**
 * Loads each space from the snapshot and hands it to its store, before the process starts to
 * dispatch: a store restored after its first change would overwrite newer entries with older.
 */
export async function restoreFrom(
  snapshot: StateSnapshot,
  stores: Partial<Record<StateSpace, Restorable>>,
  now: number,
): Promise<Partial<Record<StateSpace, RestoreCount>>> {
  const counts: Partial<Record<StateSpace, RestoreCount>> = {};
  for (const [space, store] of Object.entries(stores) as [StateSpace, Restorable][])
    counts[space] = store.restore(await snapshot.load(space), now);
  return counts;
}
