import type { Delivery } from '../delivery/delivery.js';
import type { Router } from '../routing/router.js';
import type { StateSpace } from '../state/journal.js';
import type { Restorable } from '../state/restorable.js';
import type { LifecycleStores } from './build-stores.js';

/** Every store a new dispatcher rebuilds from the shared state, by the space it journals to. */
export function restorableStores(
  stores: LifecycleStores,
  router: Router,
  delivery: Pick<Delivery, 'deadLetters' | 'channelWindows'>,
): Partial<Record<StateSpace, Restorable>> {
  return {
    messages: stores.messages,
    'group-states': stores.groupStates,
    dedup: stores.dedup,
    held: router.held,
    escalations: router.escalations,
    'dead-letters': delivery.deadLetters,
    'channel-windows': delivery.channelWindows,
  };
}
