import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import type { StateJournal, StateSpace } from './journal.js';
import type { JournalEntries, Restorable, RestoreCount } from './restorable.js';

export interface JournaledCacheOptions<V> {
  space: StateSpace;
  /** Keeps this cache's keys apart from another's in the same space. */
  prefix: string;
  journal: StateJournal;
  maxEntries: number;
  /** Undefined: entries leave only when evicted. */
  ttlMs: number | undefined;
  clock: Clock;
  /** Checks a value read back from the journal. */
  schema: z.ZodType<V>;
}

/** An entry as journaled: the value and when it was set, so a restore counts its TTL from then. */
const stamped = z.object({ at: z.number(), value: z.unknown() });

/**
 * A bounded LRU cache whose every change is recorded in a journal. Reads stay in memory; the
 * journal entry carries the cache's TTL, and an entry evicted to make room is removed from it
 * too, so the journal holds what the cache holds.
 */
export class JournaledCache<V extends NonNullable<unknown>> implements Restorable {
  readonly #cache: LRUCache<string, V>;

  constructor(private readonly o: JournaledCacheOptions<V>) {
    this.#cache = new LRUCache<string, V>({
      max: o.maxEntries,
      ...(o.ttlMs !== undefined ? { ttl: o.ttlMs } : {}),
      perf: { now: () => o.clock.now() },
      ttlResolution: 0,
      dispose: (_value, key, reason) => {
        if (reason === 'evict') o.journal.remove(o.space, o.prefix + key);
      },
    });
  }

  get(key: string): V | undefined {
    return this.#cache.get(key);
  }

  set(key: string, value: V): void {
    this.#cache.set(key, value);
    this.o.journal.put(this.o.space, this.o.prefix + key, { at: this.o.clock.now(), value }, this.o.ttlMs);
  }

  delete(key: string): void {
    this.#cache.delete(key);
    this.o.journal.remove(this.o.space, this.o.prefix + key);
  }

  /** Takes back the entries with this cache's prefix, oldest first so the LRU order holds. */
  restore(entries: JournalEntries, now: number): RestoreCount {
    const valid: { key: string; at: number; value: V }[] = [];
    let dropped = 0;
    for (const [journalKey, raw] of entries) {
      if (!journalKey.startsWith(this.o.prefix)) continue;
      const entry = stamped.safeParse(raw);
      const value = entry.success ? this.o.schema.safeParse(entry.data.value) : undefined;
      const expired = entry.success && this.o.ttlMs !== undefined && entry.data.at + this.o.ttlMs <= now;
      if (!entry.success || !value?.success || expired) dropped += 1;
      else valid.push({ key: journalKey.slice(this.o.prefix.length), at: entry.data.at, value: value.data });
    }
    valid.sort((a, b) => a.at - b.at);
    for (const { key, at, value } of valid) this.#cache.set(key, value, { start: at });
    return { restored: Math.min(valid.length, this.o.maxEntries), dropped };
  }
}
