import type { Metrics } from '../metrics/metrics.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { SecretRedactor } from '../shared/secret-redactor.js';
import { configSecrets } from './config-secrets.js';
import { formatProblems } from './load.js';
import type { Runtime, RuntimeResult } from './load-runtime.js';
import { restartPending } from './reload-table.js';

export interface ReloaderDeps {
  initial: Runtime;
  /** Loads and checks the config and templates anew; nothing is swapped before it succeeds. */
  load: () => RuntimeResult;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  onReload?: (next: Runtime, previous: Runtime) => void;
  /** The secrets redacted from logs and errors: those of the running config, kept current. */
  secrets?: SecretRedactor;
}

/** The latest load or reload attempt; the initial load counts as one. */
export interface ReloadOutcome {
  at: number;
  ok: boolean;
  /** The problems that got a reload rejected. */
  error: string | undefined;
  /** Keys changed since start that only a restart applies (reload-table.ts), e.g. `server.port`. */
  restartPending: string[];
}

/**
 * The running config and template set, swapped as one object: a request sees either the
 * old pair or the new one. An invalid config is rejected and logged, and the old one keeps
 * running. Queued messages keep the targets they were queued for.
 */
export class ConfigReloader {
  #current: Runtime;
  #lastReload: ReloadOutcome;

  constructor(private readonly deps: ReloaderDeps) {
    this.#current = deps.initial;
    this.#lastReload = { at: deps.clock.now(), ok: true, error: undefined, restartPending: [] };
    deps.metrics.configReloadSuccess.set(1);
    deps.metrics.configReloadSuccessTime.set(deps.clock.now() / 1000);
  }

  get current(): Runtime {
    return this.#current;
  }

  get lastReload(): ReloadOutcome {
    return this.#lastReload;
  }

  reload(trigger: string): boolean {
    const { log, metrics, clock } = this.deps;
    let result: RuntimeResult;
    try {
      result = this.deps.load();
    } catch (err) {
      result = { ok: false, problems: [{ path: '(reload)', message: (err as Error).message }] };
    }
    if (!result.ok) {
      // The status API shows this text: no secret of the running config may reach it.
      const error = this.deps.secrets?.redact(formatProblems(result.problems)) ?? formatProblems(result.problems);
      this.#lastReload = { at: clock.now(), ok: false, error, restartPending: this.#lastReload.restartPending };
      metrics.configReloadSuccess.set(0);
      log.error({ trigger, problems: error.split('\n') }, 'config reload rejected: the running config stays in use');
      return false;
    }
    const previous = this.#current;
    const next = result.runtime;
    this.#current = next;
    this.deps.secrets?.set(configSecrets(next.config));
    // Against the config the process started with: a restart key changed two reloads ago still waits.
    const pending = restartPending(this.deps.initial.config, next.config);
    this.#lastReload = { at: clock.now(), ok: true, error: undefined, restartPending: pending };
    metrics.configReloadSuccess.set(1);
    metrics.configReloadSuccessTime.set(clock.now() / 1000);
    if (pending.length > 0)
      log.warn({ keys: pending }, 'config reloaded, but changes to these keys take effect after a restart');
    log.info(
      {
        trigger,
        config: next.config.source,
        targets: [...next.config.targets.keys()],
        routes: next.config.routes.length,
      },
      'config reloaded',
    );
    this.deps.onReload?.(next, previous);
    return true;
  }
}
