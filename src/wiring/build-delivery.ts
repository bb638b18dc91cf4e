import type { ResolvedConfig } from '../config/load.js';
import type { Runtime } from '../config/load-runtime.js';
import type { Delivery } from '../delivery/delivery.js';
import type { LineWriter } from '../delivery/dry-run.js';
import { JobRenderer } from '../delivery/job-renderer.js';
import type { MessageSink } from '../discord/client.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Usage } from '../routing/kept-alert.js';
import type { SeverityModel } from '../shared/severity.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { StateJournal } from '../state/journal.js';
import type { LifecycleStores } from './build-stores.js';
import { deliveryWithLifecycle } from './delivery-with-lifecycle.js';

export interface DeliveryDeps {
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  sink: MessageSink;
  dryRunOut: LineWriter;
  /** The running config and templates: targets, digest settings and templates follow reloads. */
  current: () => Runtime;
  severities: SeverityModel;
  /** What routing keeps for later posts (held alerts, escalations): it shares the queue's budget. */
  reserved: () => Usage;
  stores: LifecycleStores;
  journal: StateJournal;
}

/** Delivery and the message lifecycle, from the config's delivery, rate-limit and memory settings. */
export function buildDelivery(config: ResolvedConfig, deps: DeliveryDeps): Delivery {
  const { clock, log, metrics, current } = deps;
  const { delivery: d, rate_limit: rl } = config;
  return deliveryWithLifecycle(
    {
      clock,
      log,
      metrics,
      severities: deps.severities,
      journal: deps.journal,
      target: (name) => current().config.targets.get(name),
      endpoints: {
        sink: deps.sink,
        dryRunOut: deps.dryRunOut,
        breaker: { threshold: d.breaker_threshold, cooldownMs: d.breaker_cooldown },
        rateLimits: {
          replicas: rl.replicas,
          globalPerSecond: rl.global_per_second,
          channel: { limit: rl.channel_messages, windowMs: rl.channel_window, criticalReserve: rl.critical_reserve },
        },
      },
      policy: {
        backoff: { initialMs: d.backoff_initial, maxMs: d.backoff_max },
        random: undefined,
        maxAttempts: d.max_attempts,
        maxAgeMs: d.max_age,
        agingMs: d.priority_aging,
        pack: d.pack,
        digestAfterMs: (target) => {
          const after = target.digest?.after ?? current().config.delivery.digest_after;
          return after > 0 ? after : Infinity;
        },
      },
      queue: {
        entries: d.queue_limit,
        bytes: d.queue_bytes_limit,
        reserved: deps.reserved,
        deadLetterCapacity: d.dead_letter_capacity,
      },
    },
    {
      renderer: new JobRenderer(current, log, metrics),
      memory: deps.stores.messages,
      states: deps.stores.groupStates,
      repeat: config.dedup.repeat,
    },
  );
}
