import { JournaledCache } from '../state/journaled-cache.js';
import type { JournalEntries, Restorable, RestoreCount } from '../state/restorable.js';
import { groupStateSchema, type GroupState } from './memory-schemas.js';

export type { GroupState };
import { memoryCacheOptions, memoryKey, type MessageMemoryOptions } from './message-memory.js';

/**
 * The current state of each (target, group), so a message that shows several groups can be
 * rendered again when one of them changes. Bounded like the message memory, with which it
 * ages; a state is kept as long as a shared message shows it (`touch` on every edit of the
 * view). A view whose neighbour was forgotten anyway (evicted) shows the groups still known:
 * less, never stale.
 */
export interface GroupStates extends Restorable {
  get(target: string, groupKey: string): GroupState | undefined;
  set(target: string, groupKey: string, state: GroupState): void;
  /** A message still shows the group: its state is kept from now on as if just set. */
  touch(target: string, groupKey: string): void;
}

export class InMemoryGroupStates implements GroupStates {
  readonly #states: JournaledCache<GroupState>;

  constructor(o: MessageMemoryOptions) {
    this.#states = new JournaledCache({
      ...memoryCacheOptions(o),
      space: 'group-states',
      prefix: '',
      schema: groupStateSchema,
    });
  }

  restore(entries: JournalEntries, now: number): RestoreCount {
    return this.#states.restore(entries, now);
  }

  get(target: string, groupKey: string): GroupState | undefined {
    return this.#states.get(memoryKey(target, groupKey));
  }

  set(target: string, groupKey: string, state: GroupState): void {
    this.#states.set(memoryKey(target, groupKey), state);
  }

  touch(target: string, groupKey: string): void {
    const state = this.get(target, groupKey);
    if (state) this.set(target, groupKey, state);
  }
}
