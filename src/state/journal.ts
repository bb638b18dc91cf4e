/**
 * Where a store of state that must outlive the process records its changes. The stores keep
 * their working copy in memory (reads stay synchronous on the hot path); the journal behind them
 * decides whether the changes go anywhere. The in-memory default records nothing. A shared
 * journal keeps the latest value of every entry, with a time to live, so that the next process
 * to take over the dispatch can restore the stores from it (`restoreFrom` in restorable.ts,
 * before it starts to dispatch).
 */
export interface StateJournal {
  /** Records the latest value of one entry (JSON-serialisable); `ttlMs` bounds how long it is kept. */
  put(space: StateSpace, key: string, value: unknown, ttlMs?: number): void;
  remove(space: StateSpace, key: string): void;
  /** Resolves once every change recorded so far is stored (or at once when nothing is shared). */
  flush(): Promise<void>;
}

/** What a process taking over reads back: every live entry of a space, as last put. */
export interface StateSnapshot {
  load(space: StateSpace): Promise<ReadonlyArray<readonly [key: string, value: unknown]>>;
}

/** The stores whose entries a journal keeps apart. */
export type StateSpace =
  'messages' | 'group-states' | 'dedup' | 'held' | 'escalations' | 'heartbeat' | 'dead-letters' | 'channel-windows';

export const noJournal: StateJournal = {
  put: () => {},
  remove: () => {},
  flush: () => Promise.resolve(),
};
