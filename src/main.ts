import { createServer, type Server } from 'node:http';
import type { Notification } from './alertmanager/payload.js';
import { loadSamples } from './alertmanager/samples.js';
import { configVersion } from './config/version.js';
import { Heartbeat } from './routing/heartbeat.js';
import { Deduplicator } from './lifecycle/dedup.js';
import { deduplicatingEnqueue } from './lifecycle/deduplicating-enqueue.js';
import { InMemoryGroupStates } from './lifecycle/group-states.js';
import { InMemoryMessageMemory } from './lifecycle/message-memory.js';
import type { AddressInfo } from 'node:net';
import { ConfigWatcher, watchedPaths } from './config/config-watcher.js';
import { formatProblems, type ResolvedConfig } from './config/load.js';
import { withTemplates, type RuntimeResult } from './config/load-runtime.js';
import { ConfigReloader } from './config/reloader.js';
import { configSecrets } from './config/config-secrets.js';
import { DiscordClient, type MessageSink } from './discord/client.js';
import { Delivery } from './delivery/delivery.js';
import type { LineWriter } from './delivery/dry-run.js';
import type { Job } from './delivery/job.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { mentionsFor } from './render/mentions.js';
import { pageCount, renderMessages } from './render/render-job.js';
import type { Usage } from './routing/kept-alert.js';
import type { TemplateSet } from './render/template-set.js';
import { Router } from './routing/router.js';
import { createSeverityModel, type SeverityModel } from './routing/severity.js';
import { createApp } from './server/app.js';
import { assembleStatus } from './server/assemble-status.js';
import { openReceiverWarning } from './server/open-receiver.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createLogger, type LogSink, type Logger } from './shared/logger.js';
import { SecretRedactor } from './shared/secret-redactor.js';
import { stormTemplateOf } from './render/storm-template.js';

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
  /** The config's templates when the caller has loaded them already: not compiled twice. */
  templates?: TemplateSet;
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
}

/** The composition root: everything is built here from the config, nowhere else. */
export async function startService(o: StartOptions): Promise<RunningService> {
  const { config } = o;
  const clock = o.clock ?? systemClock;
  const secrets = new SecretRedactor(configSecrets(config));
  const log = createLogger(config.log.level, o.logSink, secrets);
  const metrics = createMetrics();
  const load = o.reload ?? (() => withTemplates(config, () => clock.now()));
  const initial: RuntimeResult = o.templates
    ? { ok: true, runtime: { config, templates: o.templates } }
    : withTemplates(config, () => clock.now());
  if (!initial.ok) throw new Error(`invalid config:\n${formatProblems(initial.problems)}`);
  const watcher = new ConfigWatcher({
    clock,
    log,
    debounceMs: () => reloader.current.config.reload.debounce,
    onChange: () => void reloader.reload('file change'),
  });
  const reloader: ConfigReloader = new ConfigReloader({
    initial: initial.runtime,
    load,
    clock,
    log,
    metrics,
    secrets,
    onReload: (next) => {
      log.level = next.config.log.level;
      if (o.configFile !== undefined) watcher.watch(watchedPaths(o.configFile, next.config));
    },
  });
  if (o.configFile !== undefined) watcher.watch(watchedPaths(o.configFile, config));
  const current = () => reloader.current;
  const sink =
    o.sink ??
    new DiscordClient({
      apiBaseUrl: config.discord.api_base_url,
      timeoutMs: config.discord.request_timeout,
      onResponse: (webhook, status, seconds) => {
        metrics.discordRequests.inc({ webhook_id: webhook.id, code: String(status) });
        metrics.discordRequestDuration.observe(seconds);
      },
    });

  // The severity model follows reloads: one model per config object.
  const models = new WeakMap<object, SeverityModel>();
  const severityNow = (): SeverityModel => {
    const c = current().config;
    const model = models.get(c) ?? createSeverityModel(c.severities);
    models.set(c, model);
    return model;
  };
  const severities: SeverityModel = {
    style: (s) => severityNow().style(s),
    look: (s, status) => severityNow().look(s, status),
    priority: (s) => severityNow().priority(s),
  };

  const { delivery: d, rate_limit: rl } = config;
  const templateOf = (job: Job, digest: boolean): string =>
    digest
      ? stormTemplateOf(current().templates, job.target, current().config.delivery.digest_template)
      : job.target.template;
  const memoryOptions = { ttlMs: config.message_memory.ttl, maxEntries: config.message_memory.max_entries, clock };
  const delivery = new Delivery({
    clock,
    log,
    metrics,
    sink,
    dryRunOut: o.dryRunOut ?? process.stdout,
    severities,
    target: (name) => current().config.targets.get(name),
    backoff: { initialMs: d.backoff_initial, maxMs: d.backoff_max },
    maxAttempts: d.max_attempts,
    maxAgeMs: d.max_age,
    agingMs: d.priority_aging,
    queueLimit: d.queue_limit,
    queueBytesLimit: d.queue_bytes_limit,
    // Held alerts and escalations share the queue's budget (the router is built below).
    reserved: (): Usage => router.usage,
    deadLetterCapacity: d.dead_letter_capacity,
    breaker: { threshold: d.breaker_threshold, cooldownMs: d.breaker_cooldown },
    memory: new InMemoryMessageMemory(memoryOptions),
    states: new InMemoryGroupStates(memoryOptions),
    repeat: config.dedup.repeat,
    rateLimits: {
      replicas: rl.replicas,
      globalPerSecond: rl.global_per_second,
      channel: { limit: rl.channel_messages, windowMs: rl.channel_window, criticalReserve: rl.critical_reserve },
    },
    pack: d.pack,
    digestAfterMs: (target) => {
      const after = target.digest?.after ?? current().config.delivery.digest_after;
      return after > 0 ? after : Infinity;
    },
    pages: (job, digest) =>
      pageCount(current().templates, { notification: job.notification, template: templateOf(job, digest) }),
    render: (job, digest, page) => {
      const template = templateOf(job, digest);
      const out = renderMessages(current().templates, {
        page,
        notification: job.notification,
        target: job.target.name,
        template,
        username: job.target.username,
        avatarUrl: job.target.avatar_url,
        mentions: mentionsFor(job.target.mentions, job.notification),
        note: job.note,
        flags: job.flags,
      });
      if (out.templateError) {
        metrics.templateErrors.inc({ template });
        log.error({ template, error: out.templateError }, 'template failed; rendered with the default');
      }
      for (const cut of out.cuts) metrics.fitCuts.inc({ action: cut.action });
      if (out.cuts.length > 0)
        log.info({ groupKey: job.notification.groupKey, cuts: out.cuts }, "message fitted to Discord's limits");
      return out.messages;
    },
  });

  const hb = config.heartbeat;
  const heartbeatState = { lastSeenMs: undefined as number | undefined, silent: false };
  const heartbeat = hb
    ? new Heartbeat({
        alertname: hb.alertname,
        timeoutMs: hb.timeout,
        clock,
        log,
        notify: (notice) => {
          const target = current().config.targets.get(hb.target);
          const queued = target ? delivery.enqueue(notice, [target]) : { ok: false };
          if (!queued.ok) log.error({ groupKey: notice.groupKey }, 'could not queue the heartbeat notice');
        },
        onSeen: (at) => {
          heartbeatState.lastSeenMs = at;
          metrics.heartbeatLastSeen.set(at / 1000);
        },
        onSilentChange: (silent) => {
          heartbeatState.silent = silent;
          metrics.heartbeatSilent.set(silent ? 1 : 0);
        },
      })
    : undefined;
  const router = new Router({
    config: () => current().config,
    clock,
    log,
    metrics,
    room: (more) => delivery.room(more),
    deadLetter: (n, target, detail) => delivery.deadLetterUnsent(n, target, detail),
    enqueue: deduplicatingEnqueue(
      new Deduplicator({
        windowMs: config.dedup.window,
        repeat: config.dedup.repeat,
        maxEntries: config.dedup.max_entries,
        clock,
      }),
      (n, targets, options) => delivery.enqueue(n, targets, options),
      (target) => metrics.deduplicated.inc({ target }),
    ),
  });

  const status = () => {
    const running = current().config;
    const last = reloader.lastReload;
    return assembleStatus({
      now: clock.now(),
      targets: running.targets.values(),
      delivery: delivery.snapshot(running.targets.values()),
      config: {
        source: running.source,
        version: configVersion(running),
        lastReload: { at: new Date(last.at).toISOString(), ok: last.ok, error: last.error ?? null },
      },
      heartbeat: hb && { alertname: hb.alertname, timeoutMs: hb.timeout, ...heartbeatState },
    });
  };

  let ready = true;
  const app = createApp({
    config: () => current().config,
    route: (n, path) => router.receive(n, path),
    metrics,
    retryAfterSeconds: 30,
    registry: metrics.registry,
    deadLetters: delivery.deadLetters,
    log,
    bodyLimitBytes: config.server.body_limit,
    isReady: () => ready,
    ...(heartbeat ? { observeHeartbeat: (n: Notification) => heartbeat.observe(n) } : {}),
    auth: () => current().config.receiverAuth,
    templates: () => current().templates,
    samples: loadSamples,
    status,
    uiEnabled: config.ui.enabled,
  });

  // Slow-body clients are cut off (408) instead of holding a connection and a parser forever.
  const timeout = config.server.request_timeout;
  const server = createServer(
    {
      requestTimeout: timeout,
      headersTimeout: Math.min(60_000, timeout),
      connectionsCheckingInterval: Math.min(1000, timeout),
    },
    app,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;

  const dryRunTargets = [...config.targets.values()].filter((t) => t.dry_run).map((t) => t.name);
  log.info(
    { url, config: config.source, targets: [...config.targets.keys()], apiBaseUrl: config.discord.api_base_url },
    'alertcord listening',
  );
  const open = openReceiverWarning(address.address, config.receiverAuth !== undefined);
  if (open) log.warn({ address: address.address }, open);
  if (dryRunTargets.length > 0) {
    log.warn(
      { targets: dryRunTargets },
      'DRY-RUN: messages for these targets are printed to stdout as JSON lines, not sent to Discord (set DISCORD_WEBHOOK_URL to deliver)',
    );
  }

  let shuttingDown: Promise<void> | undefined;
  return {
    url,
    server,
    delivery,
    router,
    metrics,
    log,
    reload: (trigger) => reloader.reload(trigger),
    shutdown: () =>
      (shuttingDown ??= (async () => {
        ready = false;
        // From here notifications still in flight are refused (503): stopped timers never send.
        router.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await heartbeat?.stop();
        watcher.close();
        await delivery.drain(config.delivery.drain_timeout);
        await sink.close();
        server.closeAllConnections();
        await closed;
        log.info('alertcord stopped');
      })()),
  };
}
