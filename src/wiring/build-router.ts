import type { ResolvedConfig } from '../config/load.js';
import type { Delivery } from '../delivery/delivery.js';
import type { DedupMemory } from '../lifecycle/dedup.js';
import { deduplicatingEnqueue } from '../lifecycle/deduplicating-enqueue.js';
import type { Metrics } from '../metrics/metrics.js';
import { Router } from '../routing/router.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { StateJournal } from '../state/journal.js';

/**
 * Routing over the running config, queueing into delivery what it has not queued already.
 * `replaying`: while it says so, nothing counts as a duplicate — a stream entry replayed after
 * a failover was remembered as queued but maybe never delivered.
 */
export function buildRouter(
  current: () => ResolvedConfig,
  delivery: Delivery,
  memory: DedupMemory,
  deps: { clock: Clock; log: Logger; metrics: Metrics; journal: StateJournal; replaying?: () => boolean },
): Router {
  const { metrics, replaying } = deps;
  const dedup: Pick<DedupMemory, 'isDuplicate' | 'remember'> = replaying
    ? { isDuplicate: (t, n) => !replaying() && memory.isDuplicate(t, n), remember: (t, n) => memory.remember(t, n) }
    : memory;
  return new Router({
    ...deps,
    config: current,
    room: (more) => delivery.room(more),
    deadLetter: (n, target, detail) => delivery.deadLetterUnsent(n, target, detail),
    enqueue: deduplicatingEnqueue(
      dedup,
      (n, targets, options) => delivery.enqueue(n, targets, replaying?.() ? { ...options, replay: true } : options),
      (target) => metrics.deduplicated.inc({ target }),
    ),
  });
}
