import type { ResolvedConfig } from '../config/load.js';
import type { Delivery } from '../delivery/delivery.js';
import type { Metrics } from '../metrics/metrics.js';
import { Heartbeat } from '../routing/heartbeat.js';
import type { StatusSources } from '../server/assemble-status.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { StateJournal } from '../state/journal.js';

export interface HeartbeatWatch {
  heartbeat: Heartbeat;
  /** What the status page shows of it. */
  status(): NonNullable<StatusSources['heartbeat']>;
}

export interface HeartbeatDeps {
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** The running config: the notice goes to its heartbeat target as it is then. */
  config: () => ResolvedConfig;
  delivery: Pick<Delivery, 'enqueue'>;
  journal: StateJournal;
}

/** The heartbeat watch when the config has one: it notices, counts and queues its notice. */
export function watchHeartbeat(config: ResolvedConfig, deps: HeartbeatDeps): HeartbeatWatch | undefined {
  const hb = config.heartbeat;
  if (!hb) return undefined;
  const { clock, log, metrics } = deps;
  const state = { lastSeenMs: undefined as number | undefined, silent: false };
  const heartbeat = new Heartbeat({
    alertname: hb.alertname,
    timeoutMs: hb.timeout,
    clock,
    log,
    journal: deps.journal,
    notify: (notice) => {
      const target = deps.config().targets.get(hb.target);
      const queued = target ? deps.delivery.enqueue(notice, [target]) : { ok: false };
      if (!queued.ok) log.error({ groupKey: notice.groupKey }, 'could not queue the heartbeat notice');
    },
    onSeen: (at) => {
      state.lastSeenMs = at;
      metrics.heartbeatLastSeen.set(at / 1000);
    },
    onSilentChange: (silent) => {
      state.silent = silent;
      metrics.heartbeatSilent.set(silent ? 1 : 0);
    },
  });
  return { heartbeat, status: () => ({ alertname: hb.alertname, timeoutMs: hb.timeout, ...state }) };
}
