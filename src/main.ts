import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedConfig } from './config/load.js';
import { DiscordClient, type MessageSink } from './discord/client.js';
import { Delivery } from './delivery/delivery.js';
import type { LineWriter } from './delivery/dry-run.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { renderMessages } from './render/render-job.js';
import { loadTemplateSet } from './render/template-set.js';
import { createSeverityModel } from './routing/severity.js';
import { createApp } from './server/app.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createLogger, type LogSink, type Logger } from './shared/logger.js';

export interface RunningService {
  url: string;
  server: Server;
  delivery: Delivery;
  metrics: Metrics;
  log: Logger;
  /** Readiness off, stop accepting, drain up to the deadline, close connections. */
  shutdown(): Promise<void>;
}

export interface StartOptions {
  config: ResolvedConfig;
  clock?: Clock;
  logSink?: LogSink;
  dryRunOut?: LineWriter;
  sink?: MessageSink;
}

/** The composition root: everything is built here from the config, nowhere else. */
export async function startService(o: StartOptions): Promise<RunningService> {
  const { config } = o;
  const clock = o.clock ?? systemClock;
  const log = createLogger(config.log.level, o.logSink);
  const metrics = createMetrics();
  const severities = createSeverityModel(config.severities);
  const templates = loadTemplateSet({ now: () => clock.now(), severities }, config.templates.dir);
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

  const { delivery: d, rate_limit: rl } = config;
  const delivery = new Delivery({
    clock,
    log,
    metrics,
    sink,
    dryRunOut: o.dryRunOut ?? process.stdout,
    severities,
    target: (name) => config.targets.get(name),
    backoff: { initialMs: d.backoff_initial, maxMs: d.backoff_max },
    maxAttempts: d.max_attempts,
    maxAgeMs: d.max_age,
    agingMs: d.priority_aging,
    queueLimit: d.queue_limit,
    queueBytesLimit: d.queue_bytes_limit,
    deadLetterCapacity: d.dead_letter_capacity,
    breaker: { threshold: d.breaker_threshold, cooldownMs: d.breaker_cooldown },
    rateLimits: {
      replicas: rl.replicas,
      globalPerSecond: rl.global_per_second,
      channel: { limit: rl.channel_messages, windowMs: rl.channel_window, criticalReserve: rl.critical_reserve },
    },
    render: (job) => {
      const out = renderMessages(templates, {
        notification: job.notification,
        target: job.target.name,
        template: job.target.template,
        username: job.target.username,
        avatarUrl: job.target.avatar_url,
      });
      if (out.templateError) {
        metrics.templateErrors.inc({ template: job.target.template });
        log.error(
          { template: job.target.template, error: out.templateError },
          'template failed; rendered with the default',
        );
      }
      for (const cut of out.cuts) metrics.fitCuts.inc({ action: cut.action });
      if (out.cuts.length > 0)
        log.info({ groupKey: job.notification.groupKey, cuts: out.cuts }, "message fitted to Discord's limits");
      return out.messages;
    },
  });

  let ready = true;
  const app = createApp({
    config: () => config,
    enqueue: (n, targets) => delivery.enqueue(n, targets),
    metrics,
    retryAfterSeconds: 30,
    registry: metrics.registry,
    deadLetters: delivery.deadLetters,
    log,
    bodyLimitBytes: config.server.body_limit,
    isReady: () => ready,
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.server.port, config.server.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;

  const dryRunTargets = [...config.targets.values()].filter((t) => t.dry_run).map((t) => t.name);
  log.info(
    { url, config: config.source, targets: [...config.targets.keys()], apiBaseUrl: config.discord.api_base_url },
    'alertcord listening',
  );
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
    metrics,
    log,
    shutdown: () =>
      (shuttingDown ??= (async () => {
        ready = false;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await delivery.drain(config.delivery.drain_timeout);
        await sink.close();
        server.closeAllConnections();
        await closed;
        log.info('alertcord stopped');
      })()),
  };
}
