import type { Server } from 'node:http';
import { loadSamples } from './alertmanager/samples.js';
import { configSecrets } from './config/config-secrets.js';
import type { ResolvedConfig } from './config/load.js';
import { withTemplates, type RuntimeResult } from './config/load-runtime.js';
import type { Delivery } from './delivery/delivery.js';
import type { LineWriter } from './delivery/dry-run.js';
import type { MessageSink } from './discord/client.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import type { TemplateSet } from './render/template-set.js';
import type { Router } from './routing/router.js';
import { createApp } from './server/app.js';
import { listen } from './server/listen.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createLogger, type LogSink, type Logger } from './shared/logger.js';
import { SecretRedactor } from './shared/secret-redactor.js';
import type { SeverityModel } from './shared/severity.js';
import { noJournal, type StateJournal } from './state/journal.js';
import { announce } from './wiring/announce.js';
import { buildDelivery } from './wiring/build-delivery.js';
import { buildRouter } from './wiring/build-router.js';
import { buildStores } from './wiring/build-stores.js';
import { discordSink } from './wiring/discord-sink.js';
import { initialRuntime } from './wiring/initial-runtime.js';
import { intakeFor } from './wiring/intake-for.js';
import { configReloading } from './wiring/config-reloading.js';
import { currentSeverities } from './wiring/current-severities.js';
import { watchHeartbeat } from './wiring/heartbeat-watch.js';
import { exitOnLeaseLost, RedisMode } from './wiring/redis-mode.js';
import { restorableStores } from './wiring/restorable-stores.js';
import { serviceStatus } from './wiring/service-status.js';
import { shutdownSequence } from './wiring/shutdown.js';

export interface RunningService {
  url: string;
  server: Server;
  delivery: Delivery;
  router: Router;
  metrics: Metrics;
  log: Logger;
  /** Loads and checks the config again and swaps it in; false (old config kept) when invalid. */
  reload(trigger: string): boolean;
  /** Readiness off, stop accepting, drain up to the deadline, close connections. */
  shutdown(): Promise<void>;
}

export interface StartOptions {
  config: ResolvedConfig;
  /** The config's templates (and its severity model) when the caller has loaded them already: not built twice. */
  templates?: TemplateSet;
  severities?: SeverityModel;
  clock?: Clock;
  logSink?: LogSink;
  dryRunOut?: LineWriter;
  sink?: MessageSink;
  /**
   * How to load the config again on reload (SIGHUP, file change). Without it a reload
   * re-checks the config the service started with.
   */
  reload?: () => RuntimeResult;
  /** The config file to watch (with its secrets and templates) for changes. */
  configFile?: string;
  /** Where the stores record their changes for a process that takes over; none by default (with Redis: Redis). */
  journal?: StateJournal;
  /** With Redis: the dispatcher lease was lost and this process must not send again. Default: exit 1. */
  onLeaseLost?: (reason: string) => void;
}

/** The composition root: everything is built here from the config, nowhere else. */
export async function startService(o: StartOptions): Promise<RunningService> {
  const { config } = o;
  const clock = o.clock ?? systemClock;
  const secrets = new SecretRedactor(configSecrets(config));
  const log = createLogger(config.log.level, o.logSink, secrets);
  const metrics = createMetrics();
  const { reloader, watcher } = configReloading({
    initial: initialRuntime(o, clock),
    load: o.reload ?? (() => withTemplates(config, () => clock.now())),
    clock,
    log,
    metrics,
    secrets,
    configFile: o.configFile,
  });
  const current = () => reloader.current;
  // With Redis one replica dispatches; the stores journal to Redis while this one does.
  const cluster = config.redis ? new RedisMode(config.redis, { log, metrics, clock }) : undefined;
  const journal = cluster?.journal ?? o.journal ?? noJournal;
  const discord = o.sink ?? discordSink(config, metrics);
  const sink = cluster?.guard(discord) ?? discord;
  const stores = buildStores(config, clock, journal);
  const delivery = buildDelivery(config, {
    clock,
    log,
    metrics,
    sink,
    dryRunOut: o.dryRunOut ?? process.stdout,
    current,
    severities: currentSeverities(current),
    // Held alerts and escalations share the queue's budget (the router is built below).
    reserved: () => router.usage,
    stores,
    journal,
  });
  const heartbeatDeps = { clock, log, metrics, config: () => current().config, delivery, journal };
  const single = cluster ? undefined : watchHeartbeat(config, heartbeatDeps);
  const heartbeat = () => cluster?.heartbeat ?? single;
  const routerDeps = { clock, log, metrics, journal, ...(cluster ? { replaying: () => cluster.replaying } : {}) };
  const router = buildRouter(() => current().config, delivery, stores.dedup, routerDeps);

  let ready = true;
  const app = createApp({
    config: () => current().config,
    intake: intakeFor(cluster?.intake, router, single),
    metrics,
    registry: metrics.registry,
    deadLetters: delivery.deadLetters,
    log,
    bodyLimitBytes: config.server.body_limit,
    isReady: () => ready,
    auth: () => current().config.receiverAuth,
    templates: () => current().templates,
    samples: loadSamples,
    status: serviceStatus(clock, reloader, delivery, heartbeat, () => cluster?.status()),
    uiEnabled: () => current().config.ui.enabled,
  });
  const { host, port, request_timeout } = config.server;
  const { server, url, address } = await listen(app, host, port, request_timeout);
  announce(log, config, url, address);
  await cluster?.start({
    router,
    jobs: delivery,
    stores: restorableStores(stores, router, delivery),
    armHeartbeat: () => watchHeartbeat(config, heartbeatDeps),
    onLeaseLost: o.onLeaseLost ?? exitOnLeaseLost(log),
  });

  return {
    url,
    server,
    delivery,
    router,
    metrics,
    log,
    reload: (trigger) => reloader.reload(trigger),
    shutdown: shutdownSequence({
      notReady: () => (ready = false),
      router,
      server,
      heartbeat: () => heartbeat()?.heartbeat,
      watcher,
      delivery,
      drainTimeoutMs: config.delivery.drain_timeout,
      sink,
      log,
      ...(cluster ? { cluster } : {}),
    }),
  };
}
