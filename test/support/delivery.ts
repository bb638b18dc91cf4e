import { parseNotification, type Notification } from '../../src/alertmanager/payload.js';
import type { ResolvedTarget } from '../../src/config/load.js';
import type { MessageSink } from '../../src/discord/client.js';
import { Webhook } from '../../src/discord/webhook.js';
import type { Delivery } from '../../src/delivery/delivery.js';
import type { BackoffPolicy } from '../../src/delivery/backoff.js';
import type { BreakerPolicy } from '../../src/delivery/breaker.js';
import type { LineWriter } from '../../src/delivery/dry-run.js';
import type { Job } from '../../src/delivery/job.js';
import type { RateLimitConfig } from '../../src/delivery/rate-limit/rate-limits.js';
import type { DiscordMessage } from '../../src/discord/message.js';
import type { Metrics } from '../../src/metrics/metrics.js';
import type { SeverityModel } from '../../src/shared/severity.js';
import type { Clock } from '../../src/shared/clock.js';
import type { Logger } from '../../src/shared/logger.js';
import { deliveryWithLifecycle, type LifecycleParts } from '../../src/wiring/delivery-with-lifecycle.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { defaultSeverityModel } from '../../src/shared/severity.js';
import { createLogger } from '../../src/shared/logger.js';
import type { FakeClock } from './fake-clock.js';

let nextWebhook = 100_000_000_000_000_000n;

/** A webhook with a fresh id and an obviously fake token. */
export function fakeWebhook(): Webhook {
  nextWebhook += 1n;
  return Webhook.fromParts(String(nextWebhook), `FAKE-token-${'x'.repeat(57)}`);
}

export function webhookTarget(name: string, webhooks: Webhook[], extra: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return { name, template: 'default', dry_run: false, webhooks, ...extra };
}

/** A notification with `alerts` firing alerts of one severity. */
export function notification(groupKey: string, severity = 'info', alerts = 1): Notification {
  const parsed = parseNotification({
    version: '4',
    groupKey,
    status: 'firing',
    receiver: 'r',
    alerts: Array.from({ length: alerts }, (_, i) => ({
      status: 'firing',
      labels: { alertname: groupKey, severity, instance: `i${i}` },
      startsAt: '2026-12-01T03:00:00Z',
      fingerprint: `${groupKey}-${i}`,
    })),
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.notification;
}

/** Every setting of a Delivery in one flat object, as the tests vary them. */
export interface FlatDeliveryOptions extends Omit<LifecycleParts, 'renderer'> {
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  sink: MessageSink;
  dryRunOut: LineWriter;
  /** One page of a job's render, or all of it when `page` is absent. */
  render: (job: Job, digest: boolean, page?: number) => DiscordMessage[];
  /** Pages a job's render takes (1 when absent). */
  pages?: (job: Job, digest: boolean) => number;
  digestAfterMs?: (target: ResolvedTarget) => number;
  pack: boolean;
  severities: SeverityModel;
  target: (name: string) => ResolvedTarget | undefined;
  backoff: BackoffPolicy;
  random?: () => number;
  maxAttempts: number;
  maxAgeMs: number;
  agingMs: number;
  queueLimit: number;
  queueBytesLimit: number;
  reserved?: () => { entries: number; bytes: number };
  deadLetterCapacity: number;
  breaker: BreakerPolicy;
  rateLimits: RateLimitConfig;
}

/** A Delivery with the message lifecycle, from flat settings. */
export function flatDelivery(o: FlatDeliveryOptions): Delivery {
  const { pages, render } = o;
  return deliveryWithLifecycle(
    {
      clock: o.clock,
      log: o.log,
      metrics: o.metrics,
      severities: o.severities,
      target: o.target,
      endpoints: { sink: o.sink, dryRunOut: o.dryRunOut, breaker: o.breaker, rateLimits: o.rateLimits },
      policy: {
        backoff: o.backoff,
        random: o.random,
        maxAttempts: o.maxAttempts,
        maxAgeMs: o.maxAgeMs,
        agingMs: o.agingMs,
        pack: o.pack,
        digestAfterMs: o.digestAfterMs ?? (() => Infinity),
      },
      queue: {
        entries: o.queueLimit,
        bytes: o.queueBytesLimit,
        ...(o.reserved ? { reserved: o.reserved } : {}),
        deadLetterCapacity: o.deadLetterCapacity,
      },
    },
    {
      renderer: { render, pages: pages ?? (() => 1) },
      memory: o.memory,
      states: o.states,
      repeat: o.repeat,
    },
  );
}

/**
 * A Delivery on a fake clock whose render step makes one message per job, its content the
 * group key: tests read what was sent, in order, from the sink.
 */
export function testDelivery(clock: FakeClock, sink: MessageSink, overrides: Partial<FlatDeliveryOptions> = {}) {
  const metrics = createMetrics();
  const logs: string[] = [];
  const printed: string[] = [];
  const delivery = flatDelivery({
    clock,
    log: createLogger('debug', { write: (line) => void logs.push(line) }),
    metrics,
    sink,
    dryRunOut: { write: (line: string) => printed.push(line) },
    render: (job) => [{ content: job.notification.groupKey, allowed_mentions: { parse: [] } }],
    severities: defaultSeverityModel,
    target: () => undefined,
    backoff: { initialMs: 1000, maxMs: 30_000 },
    random: () => 0.5,
    maxAttempts: 8,
    maxAgeMs: 60 * 60_000,
    agingMs: 60_000,
    queueLimit: 10_000,
    queueBytesLimit: 64 * 1024 * 1024,
    deadLetterCapacity: 100,
    breaker: { threshold: 5, cooldownMs: 15_000 },
    rateLimits: { replicas: 1, globalPerSecond: 50, channel: { limit: 30, windowMs: 60_000, criticalReserve: 2 } },
    // One request per message, so tests can count them; packing tests turn it on.
    pack: false,
    ...overrides,
  });
  return { delivery, metrics, logs, printed };
}

export async function metricValue(
  metrics: ReturnType<typeof createMetrics>,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const text = await metrics.registry.getSingleMetricAsString(name);
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => l.startsWith(name) && !l.startsWith(`${name}_`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}
