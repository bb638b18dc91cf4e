import type { ResolvedConfig } from '../config/load.js';
import type { Delivery } from '../delivery/delivery.js';
import { Deduplicator } from '../lifecycle/dedup.js';
import { deduplicatingEnqueue } from '../lifecycle/deduplicating-enqueue.js';
import type { Metrics } from '../metrics/metrics.js';
import { Router } from '../routing/router.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

/** Routing over the running config, queueing into delivery what it has not queued already. */
export function buildRouter(
  config: ResolvedConfig,
  current: () => ResolvedConfig,
  delivery: Delivery,
  deps: { clock: Clock; log: Logger; metrics: Metrics },
): Router {
  const { clock, metrics } = deps;
  const dedup = new Deduplicator({
    windowMs: config.dedup.window,
    repeat: config.dedup.repeat,
    maxEntries: config.dedup.max_entries,
    clock,
  });
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
