import type { ResolvedConfig } from '../config/load.js';
import type { Delivery } from '../delivery/delivery.js';
import type { Deduplicator } from '../lifecycle/dedup.js';
import { deduplicatingEnqueue } from '../lifecycle/deduplicating-enqueue.js';
import type { Metrics } from '../metrics/metrics.js';
import { Router } from '../routing/router.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { StateJournal } from '../state/journal.js';

/** Routing over the running config, queueing into delivery what it has not queued already. */
export function buildRouter(
  current: () => ResolvedConfig,
  delivery: Delivery,
  dedup: Deduplicator,
  deps: { clock: Clock; log: Logger; metrics: Metrics; journal: StateJournal },
): Router {
  const { metrics } = deps;
  return new Router({
    ...deps,
    config: current,
    room: (more) => delivery.room(more),
    deadLetter: (n, target, detail) => delivery.deadLetterUnsent(n, target, detail),
    enqueue: deduplicatingEnqueue(
      dedup,
      (n, targets, options) => delivery.enqueue(n, targets, options),
      (target) => metrics.deduplicated.inc({ target }),
    ),
  });
}
