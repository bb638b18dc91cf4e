import type { ConfigReloader } from '../config/reloader.js';
import { configVersion } from '../config/version.js';
import type { Delivery } from '../delivery/delivery.js';
import { assembleStatus } from '../server/assemble-status.js';
import type { ClusterStatus, StatusSnapshot } from '../server/status.js';
import type { Clock } from '../shared/clock.js';
import type { HeartbeatWatch } from './heartbeat-watch.js';

/**
 * The status page's snapshot of the running config, delivery, heartbeat and (with Redis) the
 * cluster, taken when asked. The heartbeat is asked for each time: with Redis only a dispatcher has one.
 */
export function serviceStatus(
  clock: Clock,
  reloader: ConfigReloader,
  delivery: Delivery,
  heartbeat: () => HeartbeatWatch | undefined,
  cluster: () => ClusterStatus | undefined = () => undefined,
): () => StatusSnapshot {
  return () => {
    const running = reloader.current.config;
    const last = reloader.lastReload;
    return assembleStatus({
      now: clock.now(),
      targets: running.targets.values(),
      delivery: delivery.snapshot(running.targets.values()),
      config: {
        source: running.source,
        version: configVersion(running),
        lastReload: { at: new Date(last.at).toISOString(), ok: last.ok, error: last.error ?? null },
        restartPending: last.restartPending,
      },
      heartbeat: heartbeat()?.status(),
      cluster: cluster(),
    });
  };
}
