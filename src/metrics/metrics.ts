import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PRIORITIES, type Priority } from '../shared/severity.js';

/** What the delivery queue reports at scrape time. */
export interface QueueProbe {
  depth(priority: Priority): number;
  oldestSeconds(): number;
  bytes(): number;
  invalidRequests(): number;
}

/** One registry of our own: nothing leaks in from other libraries' global registries. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'alertcord_' });
  const registers = [registry];
  let probe: QueueProbe | undefined;
  const metrics = {
    /** Connects the scrape-time gauges to the delivery queue. */
    observeQueue(p: QueueProbe): void {
      probe = p;
    },
    registry,
    notificationsReceived: new Counter({
      name: 'alertcord_notifications_received_total',
      help: 'Alertmanager notifications received, by outcome (accepted, invalid, rejected, unrouted, heartbeat, too_large)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    httpRequests: new Counter({
      name: 'alertcord_http_requests_total',
      help: 'HTTP requests answered, by route (a fixed set, never the raw path) and status code',
      labelNames: ['route', 'code'] as const,
      registers,
    }),
    authFailures: new Counter({
      name: 'alertcord_auth_failures_total',
      help: 'Requests refused by server.auth, by reason (missing, wrong_scheme, bad_credentials)',
      labelNames: ['reason'] as const,
      registers,
    }),
    alertsReceived: new Counter({
      name: 'alertcord_alerts_received_total',
      help: 'Alerts received in accepted notifications, by status',
      labelNames: ['status'] as const,
      registers,
    }),
    discordRequests: new Counter({
      name: 'alertcord_discord_requests_total',
      help: 'Requests sent to Discord, by webhook id and HTTP status code ("error" for network errors)',
      labelNames: ['webhook_id', 'code'] as const,
      registers,
    }),
    discordRequestDuration: new Histogram({
      name: 'alertcord_discord_request_duration_seconds',
      help: 'Duration of requests to Discord',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    messagesDelivered: new Counter({
      name: 'alertcord_messages_delivered_total',
      help: 'Discord messages delivered (accepted by Discord, or printed in dry-run)',
      labelNames: ['target'] as const,
      registers,
    }),
    retries: new Counter({
      name: 'alertcord_retries_total',
      help: 'Discord requests retried, by reason (rate_limited, server_error, network, http_4xx)',
      labelNames: ['reason'] as const,
      registers,
    }),
    deadLetters: new Counter({
      name: 'alertcord_dead_letters_total',
      help: 'Messages given up on, by reason (rejected, webhook_gone, attempts_exhausted, too_old, shutdown, render_failed, internal_error)',
      labelNames: ['reason'] as const,
      registers,
    }),
    deliveryErrors: new Counter({
      name: 'alertcord_delivery_errors_total',
      help: 'Unexpected exceptions caught in the delivery loop (each logged; the loop keeps running)',
      registers,
    }),
    templateErrors: new Counter({
      name: 'alertcord_template_errors_total',
      help: 'Template runtime errors; the message was rendered with the shipped default instead',
      labelNames: ['template'] as const,
      registers,
    }),
    deduplicated: new Counter({
      name: 'alertcord_deduplicated_total',
      help: 'Notifications not queued for a target because it already had that state of the group',
      labelNames: ['target'] as const,
      registers,
    }),
    coalesced: new Counter({
      name: 'alertcord_coalesced_total',
      help: 'Queued messages replaced by a newer notification of their group before they were sent',
      labelNames: ['target'] as const,
      registers,
    }),
    digestMode: new Gauge({
      name: 'alertcord_digest_mode',
      help: "1 while a target's backlog is rendered with its digest template, else 0",
      labelNames: ['target'] as const,
      registers,
    }),
    packedJobs: new Counter({
      name: 'alertcord_packed_messages_total',
      help: 'Messages that shared one Discord request with the message before them',
      labelNames: ['target'] as const,
      registers,
    }),
    heartbeatLastSeen: new Gauge({
      name: 'alertcord_heartbeat_last_seen_timestamp_seconds',
      help: "When Alertmanager's heartbeat alert (Watchdog) last arrived, Unix seconds",
      registers,
    }),
    heartbeatSilent: new Gauge({
      name: 'alertcord_heartbeat_silent',
      help: '1 while the heartbeat is missing (the alerting pipeline is silent), else 0',
      registers,
    }),
    fitCuts: new Counter({
      name: 'alertcord_fit_cuts_total',
      help: "Cuts made to fit Discord's limits, by action (truncated, dropped, replaced, split)",
      labelNames: ['action'] as const,
      registers,
    }),
    alertsOutsideActiveHours: new Counter({
      name: 'alertcord_alerts_outside_active_hours_total',
      help: 'Alerts that reached a target outside its active hours, by target and action (drop, hold, deliver-silent)',
      labelNames: ['target', 'action'] as const,
      registers,
    }),
    heldAlerts: new Gauge({
      name: 'alertcord_held_alerts',
      help: "Alerts held until their target's active hours begin",
      registers,
    }),
    heldAlertsBytes: new Gauge({
      name: 'alertcord_held_alerts_bytes',
      help: 'Size of the held alerts, counted against delivery.queue_bytes_limit',
      registers,
    }),
    escalations: new Counter({
      name: 'alertcord_escalations_total',
      help: 'Escalation messages sent, by target',
      labelNames: ['target'] as const,
      registers,
    }),
    escalationsPending: new Gauge({
      name: 'alertcord_escalations_pending',
      help: 'Firing alerts with an escalation step still to come',
      registers,
    }),
    configReloadSuccess: new Gauge({
      name: 'alertcord_config_last_reload_success',
      help: 'Whether the last configuration reload succeeded (1) or was rejected (0)',
      registers,
    }),
    configReloadSuccessTime: new Gauge({
      name: 'alertcord_config_last_reload_success_timestamp_seconds',
      help: 'When the configuration was last loaded successfully (start or reload), in Unix seconds',
      registers,
    }),
    queueDepth: new Gauge({
      name: 'alertcord_queue_depth',
      help: 'Messages waiting for Discord, by priority',
      labelNames: ['priority'] as const,
      registers,
      collect() {
        for (const priority of PRIORITIES) this.set({ priority }, probe?.depth(priority) ?? 0);
      },
    }),
    queueOldest: new Gauge({
      name: 'alertcord_queue_oldest_seconds',
      help: 'Age of the oldest message waiting for Discord (0 when none waits)',
      registers,
      collect() {
        this.set(probe?.oldestSeconds() ?? 0);
      },
    }),
    queueBytes: new Gauge({
      name: 'alertcord_queue_bytes',
      help: 'Size of the notifications waiting for Discord (bounded by delivery.queue_bytes_limit)',
      registers,
      collect() {
        this.set(probe?.bytes() ?? 0);
      },
    }),
    deliveryLatency: new Histogram({
      name: 'alertcord_delivery_latency_seconds',
      help: 'Time from receiving a notification to Discord accepting its last message, by priority',
      labelNames: ['priority'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    }),
    rateLimited: new Counter({
      name: 'alertcord_rate_limited_total',
      help: '429 answers from Discord, by scope (user: the webhook bucket, shared: the hidden channel limit, global)',
      labelNames: ['scope'] as const,
      registers,
    }),
    invalidRequests: new Gauge({
      name: 'alertcord_invalid_requests_10m',
      help: 'Invalid requests (401, 403, 429 except shared scope) in the last 10 minutes; Discord bans an IP at 10,000',
      registers,
      collect() {
        this.set(probe?.invalidRequests() ?? 0);
      },
    }),
    breakerState: new Gauge({
      name: 'alertcord_breaker_state',
      help: 'Circuit breaker of a webhook: 0 closed, 1 half-open (probing), 2 open (messages wait)',
      labelNames: ['webhook_id'] as const,
      registers,
    }),
    breakerTransitions: new Counter({
      name: 'alertcord_breaker_transitions_total',
      help: 'Circuit breaker transitions of a webhook, by the state entered',
      labelNames: ['webhook_id', 'state'] as const,
      registers,
    }),
    webhooksRemoved: new Counter({
      name: 'alertcord_webhooks_removed_total',
      help: 'Webhooks taken out of rotation because Discord answered 404 10015 or 401 50027',
      labelNames: ['target', 'webhook_id'] as const,
      registers,
    }),
    clusterRole: new Gauge({
      name: 'alertcord_cluster_role',
      help: "This process's role: 1 for the current one of dispatcher, standby (with Redis) or single",
      labelNames: ['role'] as const,
      registers,
    }),
    leaseChanges: new Counter({
      name: 'alertcord_lease_changes_total',
      help: 'Times this process acquired or lost the dispatcher lease',
      registers,
    }),
    streamLength: new Gauge({
      name: 'alertcord_stream_length',
      help: 'Entries in the intake stream not yet acked (Redis mode)',
      registers,
    }),
    streamPending: new Gauge({
      name: 'alertcord_stream_pending',
      help: 'Entries read by the dispatcher and not yet acked (Redis mode): the consumer lag',
      registers,
    }),
  };
  // Without Redis there is no lease: the Redis mode sets its own role when it starts.
  metrics.clusterRole.set({ role: 'single' }, 1);
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
