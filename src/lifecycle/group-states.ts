import type { LRUCache } from 'lru-cache';
import type { Notification } from '../alertmanager/payload.js';
import { boundedCache, memoryKey, type MessageMemoryOptions } from './message-memory.js';

/** What a render of a group needs: its latest notification and how it was rendered. */
export interface GroupState {
  notification: Notification;
  flags?: number;
  /** Rendered with the storm digest template. */
  digest: boolean;
}

/**
 * The current state of each (target, group), so a message that shows several groups can be
 * rendered again when one of them changes. Bounded like the message memory, with which it
 * ages: a view whose neighbour was forgotten shows the groups that are still known.
 */
export interface GroupStates {
  get(target: string, groupKey: string): GroupState | undefined;
  set(target: string, groupKey: string, state: GroupState): void;
}

export class InMemoryGroupStates implements GroupStates {
  readonly #states: LRUCache<string, GroupState>;

  constructor(o: MessageMemoryOptions) {
    this.#states = boundedCache(o);
  }

  get(target: string, groupKey: string): GroupState | undefined {
    return this.#states.get(memoryKey(target, groupKey));
  }

  set(target: string, groupKey: string, state: GroupState): void {
    this.#states.set(memoryKey(target, groupKey), state);
  }
}
