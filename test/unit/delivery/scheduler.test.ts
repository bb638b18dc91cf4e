import { describe, expect, it } from 'vitest';
import type { SendResult } from '../../../src/discord/send-result.js';
import { FakeClock, flush } from '../../support/fake-clock.js';
import { fakeWebhook, metricValue, notification, testDelivery, webhookTarget } from '../../support/delivery.js';
import { simulatedDiscord } from '../../support/simulated-discord.js';

const serverError: SendResult = {
  kind: 'retryable',
  status: 503,
  reason: 'HTTP 503',
  retryAfterMs: undefined,
  rateLimit: {},
};

/** Advances the fake clock until `done` holds, in steps, up to a bound of Discord time. */
async function until(clock: FakeClock, done: () => boolean, boundMs = 30 * 60_000): Promise<void> {
  const end = clock.now() + boundMs;
  while (!done()) {
    if (clock.now() >= end) throw new Error('condition not reached in time');
    await clock.advance(500);
  }
}

describe('scheduler: priorities', () => {
  it('sends the most urgent waiting message first when the budget frees', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock, { webhookLimit: { limit: 1, windowMs: 2000 } });
    const { delivery } = testDelivery(clock, discord.sink);
    const target = webhookTarget('t', [fakeWebhook()]);
    delivery.enqueue(notification('first', 'info'), [target]);
    await clock.advance(100);
    for (const [key, severity] of [
      ['info', 'info'],
      ['warning', 'warning'],
      ['critical', 'critical'],
      ['error', 'error'],
    ] as const) {
      delivery.enqueue(notification(key, severity), [target]);
    }
    await until(clock, () => discord.delivered.length === 5);
    expect(discord.delivered.map((d) => d.message.content)).toEqual(['first', 'critical', 'error', 'warning', 'info']);
  });
});

describe('scheduler: Discord limits', () => {
  it('drains a backlog through one webhook and one channel without a single 429, at the rate Discord allows', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery } = testDelivery(clock, discord.sink, {
      rateLimits: { replicas: 1, globalPerSecond: 50, channel: { limit: 30, windowMs: 60_000, criticalReserve: 0 } },
    });
    const target = webhookTarget('t', [fakeWebhook()]);
    for (let i = 0; i < 65; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await until(clock, () => discord.delivered.length === 65);
    expect(discord.rateLimited).toEqual([]);
    // 30 in the first window (5 per 2 s), 30 as they leave it 60 s later, 5 more at 120 s.
    const last = discord.delivered.at(-1)!.at;
    expect(last).toBeGreaterThanOrEqual(120_000);
    expect(last).toBeLessThan(121_000);
  });

  it('keeps a reserve of the channel window: a critical alert behind an info backlog goes within 2 s', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery } = testDelivery(clock, discord.sink);
    const target = webhookTarget('t', [fakeWebhook()]);
    for (let i = 0; i < 80; i++) delivery.enqueue(notification(`info${i}`, 'info'), [target]);
    // 20 s in, the burst is over and the backlog fills the window up to the reserve.
    await clock.advance(20_000);
    expect(discord.delivered).toHaveLength(28);
    delivery.enqueue(notification('db-down', 'critical'), [target]);
    delivery.enqueue(notification('api-down', 'critical'), [target]);
    await clock.advance(2000);
    const critical = discord.delivered.filter((d) => String(d.message.content).endsWith('-down'));
    expect(critical.map((d) => d.at - 20_000).every((ms) => ms <= 2000)).toBe(true);
    expect(critical).toHaveLength(2);
    await until(clock, () => discord.delivered.length === 82);
    expect(discord.rateLimited).toEqual([]);
  });

  it('a third critical message in the same moment waits for the window, like any other', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery } = testDelivery(clock, discord.sink);
    const target = webhookTarget('t', [fakeWebhook()]);
    for (let i = 0; i < 40; i++) delivery.enqueue(notification(`info${i}`, 'info'), [target]);
    await clock.advance(20_000);
    for (const key of ['c1', 'c2', 'c3']) delivery.enqueue(notification(key, 'critical'), [target]);
    await clock.advance(5000);
    expect(discord.delivered.filter((d) => /^c\d$/.test(String(d.message.content)))).toHaveLength(2);
    expect(discord.rateLimited).toEqual([]);
  });

  it('learns a lower hidden channel limit from one shared-scope 429, and hits it only once', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock, { channelLimit: { limit: 20, windowMs: 60_000 } });
    const { delivery, metrics, logs } = testDelivery(clock, discord.sink);
    const target = webhookTarget('t', [fakeWebhook()]);
    for (let i = 0; i < 50; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await until(clock, () => discord.delivered.length === 50);
    expect(discord.rateLimited.map((r) => r.scope)).toEqual(['shared']);
    expect(await metricValue(metrics, 'alertcord_rate_limited_total', { scope: 'shared' })).toBe(1);
    expect(logs.join('\n')).toContain("hit the channel's hidden rate limit");
    expect(delivery.deadLetters.list()).toEqual([]);
  });

  it('keeps every webhook together under the global ceiling', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock, {
      globalLimit: { limit: 10, windowMs: 1000 },
      channelOf: (id) => `channel-of-${id}`,
    });
    const { delivery } = testDelivery(clock, discord.sink, {
      rateLimits: { replicas: 1, globalPerSecond: 10, channel: { limit: 30, windowMs: 60_000, criticalReserve: 2 } },
    });
    const targets = Array.from({ length: 8 }, (_, i) => webhookTarget(`t${i}`, [fakeWebhook()]));
    for (let i = 0; i < 5; i++) delivery.enqueue(notification(`g${i}`), targets);
    await until(clock, () => discord.delivered.length === 40);
    expect(discord.rateLimited).toEqual([]);
    // 40 requests at 10 per second.
    expect(discord.delivered.at(-1)!.at).toBeGreaterThanOrEqual(3000);
  });

  it('with replicas: 2, uses half of each budget', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock, { channelLimit: { limit: 1000, windowMs: 60_000 } });
    const { delivery } = testDelivery(clock, discord.sink, {
      rateLimits: { replicas: 2, globalPerSecond: 50, channel: { limit: 1000, windowMs: 60_000, criticalReserve: 0 } },
    });
    const target = webhookTarget('t', [fakeWebhook()]);
    for (let i = 0; i < 10; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await until(clock, () => discord.delivered.length === 10);
    // Two of the webhook's five requests per 2 s: 10 messages take four more windows.
    const times = discord.delivered.map((d) => d.at);
    for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 2]!).toBeGreaterThanOrEqual(2000);
  });
});

describe('scheduler: webhook pools', () => {
  it('spreads messages over the webhooks of a pool, each with its own bucket', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery } = testDelivery(clock, discord.sink);
    const hooks = [fakeWebhook(), fakeWebhook(), fakeWebhook()];
    const target = webhookTarget('t', hooks);
    for (let i = 0; i < 15; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await until(clock, () => discord.delivered.length === 15);
    expect(discord.delivered.at(-1)!.at).toBeLessThan(2000);
    for (const h of hooks) expect(discord.delivered.filter((d) => d.webhookId === h.id)).toHaveLength(5);
  });

  it('takes a deleted webhook out of rotation for good, delivers through the others, and tells the fallback target', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const [a, gone, c] = [fakeWebhook(), fakeWebhook(), fakeWebhook()];
    const fallback = { name: 'ops', template: 'default', dry_run: true, webhooks: [] };
    const target = webhookTarget('t', [a!, gone!, c!], { fallback_target: 'ops' });
    const { delivery, metrics, logs, printed } = testDelivery(clock, discord.sink, {
      target: (name) => (name === 'ops' ? fallback : undefined),
    });
    let toGone = 0;
    discord.override((id) => {
      if (id !== gone!.id) return undefined;
      toGone += 1;
      return { kind: 'gone', status: 404, code: 10015, rateLimit: {} };
    });
    for (let i = 0; i < 20; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await until(clock, () => discord.delivered.length === 20);
    expect(toGone).toBe(1);
    expect(new Set(discord.delivered.map((d) => d.webhookId))).toEqual(new Set([a!.id, c!.id]));
    expect(delivery.deadLetters.list()).toEqual([]);
    expect(await metricValue(metrics, 'alertcord_webhooks_removed_total', { webhook_id: gone!.id })).toBe(1);
    expect(logs.join('\n')).toContain(`webhook ${gone!.id} is gone`);
    await flush();
    // The notice, an alert of alertcord's own, went to the fallback target.
    expect(printed.join('')).toContain(`alertcord:webhook-gone:${gone!.id}`);
  });

  it('dead-letters what waits for a target once every webhook of it is gone', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery } = testDelivery(clock, discord.sink);
    const target = webhookTarget('t', [fakeWebhook()]);
    discord.override(() => ({ kind: 'gone', status: 401, code: 50027, rateLimit: {} }));
    for (let i = 0; i < 3; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await clock.advance(1000);
    expect(delivery.deadLetters.list().map((d) => d.reason)).toEqual(['webhook_gone', 'webhook_gone', 'webhook_gone']);
    expect(delivery.queued).toBe(0);
  });
});

describe('scheduler: retries and the circuit breaker', () => {
  it('retries 5xx with exponential backoff and full jitter', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock, { rttMs: 0 });
    const { delivery } = testDelivery(clock, discord.sink);
    const target = webhookTarget('t', [fakeWebhook()]);
    const attempts: number[] = [];
    discord.override(() => {
      attempts.push(clock.now());
      return attempts.length <= 3 ? serverError : undefined;
    });
    delivery.enqueue(notification('g'), [target]);
    await until(clock, () => discord.delivered.length === 1);
    // random() = 0.5 of a cap of 1 s, 2 s, 4 s.
    expect(attempts).toEqual([0, 500, 1500, 3500]);
  });

  it('opens after consecutive failures: messages wait, none is dropped, one probe after the cool-down closes it', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock, { rttMs: 0 });
    const { delivery, metrics, logs } = testDelivery(clock, discord.sink, { maxAttempts: 3 });
    const hook = fakeWebhook();
    const target = webhookTarget('t', [hook]);
    const attempts: number[] = [];
    let down = true;
    discord.override(() => {
      attempts.push(clock.now());
      return down ? serverError : undefined;
    });
    for (let i = 0; i < 10; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await clock.advance(1000);
    expect(attempts).toHaveLength(5);
    expect(await metricValue(metrics, 'alertcord_breaker_state', { webhook_id: hook.id })).toBe(2);
    await clock.advance(10_000);
    expect(attempts).toHaveLength(5);
    // Cool-down over: one probe, which fails; open again.
    await clock.advance(5000);
    expect(attempts).toHaveLength(6);
    down = false;
    await clock.advance(15_000);
    await until(clock, () => discord.delivered.length === 10);
    expect(delivery.deadLetters.list()).toEqual([]);
    expect(await metricValue(metrics, 'alertcord_breaker_state', { webhook_id: hook.id })).toBe(0);
    const text = logs.join('\n');
    expect(text).toContain('circuit breaker opened');
    expect(text).toContain('circuit breaker closed');
  });

  it('while the breaker stays open, messages wait up to their age bound, then are dead-lettered', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock, { rttMs: 0 });
    const { delivery } = testDelivery(clock, discord.sink, { maxAgeMs: 60_000 });
    discord.override(() => serverError);
    const target = webhookTarget('t', [fakeWebhook()]);
    for (let i = 0; i < 8; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await clock.advance(59_000);
    expect(delivery.deadLetters.list()).toEqual([]);
    await clock.advance(2000);
    expect(delivery.deadLetters.list().map((d) => d.reason)).toEqual(Array(8).fill('too_old'));
  });
});

describe('backpressure', () => {
  it('refuses a notification that would take the queue past its byte bound', () => {
    const clock = new FakeClock(0);
    const { delivery } = testDelivery(clock, simulatedDiscord(clock).sink, { queueBytesLimit: 2000 });
    const target = webhookTarget('t', [fakeWebhook()]);
    expect(delivery.enqueue(notification('a', 'info', 3), [target]).ok).toBe(true);
    expect(delivery.enqueue(notification('b', 'info', 3), [target]).ok).toBe(true);
    expect(delivery.enqueue(notification('c', 'info', 3), [target])).toEqual({ ok: false, reason: 'queue_full' });
  });

  it('always takes one notification into an empty queue, however big', () => {
    const clock = new FakeClock(0);
    const { delivery } = testDelivery(clock, simulatedDiscord(clock).sink, { queueBytesLimit: 10 });
    expect(delivery.enqueue(notification('big', 'info', 50), [webhookTarget('t', [fakeWebhook()])]).ok).toBe(true);
  });
});

describe('queue metrics', () => {
  it('export the depth by priority, the oldest age, the bytes and the delivery latency', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock, { webhookLimit: { limit: 1, windowMs: 10_000 }, rttMs: 0 });
    const { delivery, metrics } = testDelivery(clock, discord.sink);
    const target = webhookTarget('t', [fakeWebhook()]);
    delivery.enqueue(notification('first', 'info'), [target]);
    await flush();
    delivery.enqueue(notification('c', 'critical'), [target]);
    delivery.enqueue(notification('w1', 'warning'), [target]);
    delivery.enqueue(notification('w2', 'warning'), [target]);
    await clock.advance(4000);
    expect(await metricValue(metrics, 'alertcord_queue_depth', { priority: 'critical' })).toBe(1);
    expect(await metricValue(metrics, 'alertcord_queue_depth', { priority: 'normal' })).toBe(2);
    expect(await metricValue(metrics, 'alertcord_queue_depth', { priority: 'low' })).toBe(0);
    expect(await metricValue(metrics, 'alertcord_queue_oldest_seconds')).toBe(4);
    expect(await metricValue(metrics, 'alertcord_queue_bytes')).toBeGreaterThan(300);
    await clock.advance(6000);
    const latency = await metrics.registry.getSingleMetricAsString('alertcord_delivery_latency_seconds');
    expect(latency).toContain('alertcord_delivery_latency_seconds_bucket{le="0.1",priority="low"} 1');
    expect(latency).toContain('alertcord_delivery_latency_seconds_bucket{le="10",priority="critical"} 1');
    expect(latency).toContain('alertcord_delivery_latency_seconds_bucket{le="5",priority="critical"} 0');
  });
});
