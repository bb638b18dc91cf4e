import type { ResolvedConfig } from '../config/load.js';
import { Deduplicator } from '../lifecycle/dedup.js';
import { InMemoryGroupStates } from '../lifecycle/group-states.js';
import { InMemoryMessageMemory } from '../lifecycle/message-memory.js';
import type { Clock } from '../shared/clock.js';
import type { StateJournal } from '../state/journal.js';

/** The lifecycle's memories: built here so that a process taking over can restore them. */
export interface LifecycleStores {
  messages: InMemoryMessageMemory;
  groupStates: InMemoryGroupStates;
  dedup: Deduplicator;
}

export function buildStores(config: ResolvedConfig, clock: Clock, journal: StateJournal): LifecycleStores {
  const memory = { ttlMs: config.message_memory.ttl, maxEntries: config.message_memory.max_entries, clock, journal };
  return {
    messages: new InMemoryMessageMemory(memory),
    groupStates: new InMemoryGroupStates(memory),
    dedup: new Deduplicator({
      windowMs: config.dedup.window,
      repeat: config.dedup.repeat,
      maxEntries: config.dedup.max_entries,
      clock,
      journal,
    }),
  };
}
