import { ConfigWatcher, watchedPaths } from '../config/config-watcher.js';
import type { Runtime, RuntimeResult } from '../config/load-runtime.js';
import { ConfigReloader } from '../config/reloader.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { SecretRedactor } from '../shared/secret-redactor.js';

export interface ReloadingDeps {
  initial: Runtime;
  load: () => RuntimeResult;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  secrets: SecretRedactor;
  /** The config file to watch (with its secrets and templates); none: reload on signal only. */
  configFile: string | undefined;
}

/** The running config, reloaded on demand and whenever a watched file changes. */
export function configReloading(o: ReloadingDeps): { reloader: ConfigReloader; watcher: ConfigWatcher } {
  const { clock, log, configFile } = o;
  const watcher = new ConfigWatcher({
    clock,
    log,
    debounceMs: () => reloader.current.config.reload.debounce,
    onChange: () => void reloader.reload('file change'),
  });
  const reloader: ConfigReloader = new ConfigReloader({
    initial: o.initial,
    load: o.load,
    clock,
    log,
    metrics: o.metrics,
    secrets: o.secrets,
    onReload: (next) => {
      log.level = next.config.log.level;
      if (configFile !== undefined) watcher.watch(watchedPaths(configFile, next.config));
    },
  });
  if (configFile !== undefined) watcher.watch(watchedPaths(configFile, o.initial.config));
  return { reloader, watcher };
}
