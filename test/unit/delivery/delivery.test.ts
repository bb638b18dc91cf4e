import { describe, expect, it, vi } from 'vitest';
import { parseNotification, type Notification } from '../../../src/alertmanager/payload.js';
import type { ResolvedTarget } from '../../../src/config/load.js';
import type { MessageSink } from '../../../src/discord/client.js';
import type { DiscordMessage } from '../../../src/discord/message.js';
import type { SendResult } from '../../../src/discord/send-result.js';
import { Webhook } from '../../../src/discord/webhook.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { defaultSeverityModel } from '../../../src/shared/severity.js';
import { createLogger } from '../../../src/shared/logger.js';
import { fixture } from '../../fixtures/index.js';
import { flatDelivery } from '../../support/delivery.js';
import { FakeClock, flush } from '../../support/fake-clock.js';
import { invalidFormBody } from '../../support/send-results.js';

const ok = (rateLimit = {}): SendResult => ({ kind: 'ok', status: 200, messageId: '1', channelId: '2', rateLimit });
const retryable = (): SendResult => ({
  kind: 'retryable',
  status: 503,
  reason: 'HTTP 503',
  retryAfterMs: undefined,
  rateLimit: {},
});

/** A sink that answers from a script and records what it was sent, with the time. */
function scriptedSink(clock: FakeClock, script: (n: number, m: DiscordMessage) => SendResult) {
  const sent: { at: number; message: DiscordMessage }[] = [];
  const sink: MessageSink = {
    execute: async (_w, message) => {
      sent.push({ at: clock.now(), message });
      return script(sent.length, message);
    },
    edit: async () => ok(),
    delete: async () => ok(),
    close: async () => {},
  };
  return { sink, sent };
}

const target: ResolvedTarget = {
  name: 'team',
  template: 'default',
  dry_run: false,
  webhooks: [Webhook.fromParts('123456789012345678', 'x'.repeat(68))],
};

function notification(key: string): Notification {
  const body = fixture('firing');
  body.groupKey = key;
  const r = parseNotification(body);
  if (!r.ok) throw new Error('bad fixture');
  return r.notification;
}

function setup(
  script: (n: number, m: DiscordMessage) => SendResult,
  parts = 1,
  reserved?: () => { entries: number; bytes: number },
) {
  const clock = new FakeClock();
  const { sink, sent } = scriptedSink(clock, script);
  const metrics = createMetrics();
  const delivery = flatDelivery({
    clock,
    log: createLogger('silent'),
    metrics,
    sink,
    dryRunOut: { write: () => true },
    render: (job) =>
      Array.from({ length: parts }, (_, i) => ({
        content: `${job.notification.groupKey} part ${i + 1}`,
        allowed_mentions: { parse: [] },
      })),
    severities: defaultSeverityModel,
    target: () => undefined,
    backoff: { initialMs: 1000, maxMs: 10_000 },
    maxAttempts: 3,
    maxAgeMs: 60 * 60_000,
    agingMs: 60_000,
    pack: false,
    queueLimit: 5,
    queueBytesLimit: 1024 * 1024,
    ...(reserved ? { reserved } : {}),
    deadLetterCapacity: 100,
    breaker: { threshold: 100, cooldownMs: 1000 },
    rateLimits: { replicas: 1, globalPerSecond: 50, channel: { limit: 30, windowMs: 60_000, criticalReserve: 2 } },
  });
  return { clock, delivery, sent, metrics };
}

describe('Delivery lanes', () => {
  it('sends in order and waits for the bucket before sending, not after a 429', async () => {
    const { clock, delivery, sent } = setup((n) =>
      ok({ limit: 2, remaining: n % 2 === 0 ? 0 : 1, resetAfterMs: 2000 }),
    );
    for (const key of ['a', 'b', 'c', 'd']) delivery.enqueue(notification(key), [target]);
    await flush();
    expect(sent.map((s) => s.message.content)).toEqual(['a part 1', 'b part 1']);
    await clock.advance(1999);
    expect(sent).toHaveLength(2);
    await clock.advance(1);
    expect(sent.map((s) => s.message.content)).toEqual(['a part 1', 'b part 1', 'c part 1', 'd part 1']);
    expect(sent[2]!.at - sent[0]!.at).toBe(2000);
    expect(delivery.queued).toBe(0);
  });

  it('waits out a 429 without using up an attempt', async () => {
    let calls = 0;
    const { clock, delivery, sent, metrics } = setup(() =>
      ++calls <= 3 ? { kind: 'rateLimited', status: 429, retryAfterMs: 5000, scope: 'user', rateLimit: {} } : ok(),
    );
    delivery.enqueue(notification('a'), [target]);
    await clock.advance(15_000);
    expect(sent).toHaveLength(4);
    expect(sent.map((s) => s.at - sent[0]!.at)).toEqual([0, 5000, 10_000, 15_000]);
    expect(delivery.deadLetters.list()).toHaveLength(0);
    expect((await metrics.retries.get()).values.find((v) => v.labels.reason === 'rate_limited')?.value).toBe(3);
  });

  it('retries 5xx with backoff, then dead-letters after max attempts', async () => {
    const { clock, delivery, sent } = setup(() => retryable());
    delivery.enqueue(notification('a'), [target]);
    await clock.advance(60_000);
    expect(sent).toHaveLength(3);
    expect(delivery.deadLetters.list()).toEqual([
      expect.objectContaining({ reason: 'attempts_exhausted', groupKey: 'a', webhookId: '123456789012345678' }),
    ]);
    expect(delivery.deadLetters.list()[0]!.alerts.map((a) => a.fingerprint)).toEqual([
      'c0ffee1234abcd56',
      'c0ffee1234abcd57',
    ]);
  });

  it('resends only the part that failed when a group spans several messages', async () => {
    const { clock, delivery, sent } = setup((n) => (n === 2 ? retryable() : ok()), 3);
    delivery.enqueue(notification('a'), [target]);
    await clock.advance(20_000);
    expect(sent.map((s) => s.message.content)).toEqual(['a part 1', 'a part 2', 'a part 2', 'a part 3']);
  });

  it('never retries a deleted webhook and dead-letters what waits for it', async () => {
    const { clock, delivery, sent } = setup(() => ({ kind: 'gone', status: 404, code: 10015, rateLimit: {} }));
    delivery.enqueue(notification('a'), [target]);
    delivery.enqueue(notification('b'), [target]);
    await clock.advance(60_000);
    expect(sent).toHaveLength(1);
    expect(delivery.deadLetters.list().map((d) => [d.groupKey, d.reason])).toEqual([
      ['a', 'webhook_gone'],
      ['b', 'webhook_gone'],
    ]);
  });

  it('dead-letters a 400 at once', async () => {
    const { clock, delivery, sent } = setup(() => invalidFormBody());
    delivery.enqueue(notification('a'), [target]);
    await clock.advance(10_000);
    expect(sent).toHaveLength(1);
    expect(delivery.deadLetters.list()[0]?.reason).toBe('rejected');
  });

  it('refuses work beyond the queue limit instead of dropping it', () => {
    const { delivery } = setup(() => retryable());
    for (let i = 0; i < 5; i++) expect(delivery.enqueue(notification(`g${i}`), [target]).ok).toBe(true);
    expect(delivery.enqueue(notification('late'), [target])).toEqual({ ok: false, reason: 'queue_full' });
  });

  it('sizes a notification for the byte limit without serialising it, whatever the number of targets', () => {
    const { delivery } = setup(() => retryable());
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const targets = ['a', 'b', 'c'].map((name) => ({ ...target, name }));
      expect(delivery.enqueue(notification('g'), targets).ok).toBe(true);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
  });

  it('shares its limits with what routing keeps for later (held alerts, escalations)', () => {
    const kept = { entries: 3, bytes: 0 };
    const { delivery } = setup(
      () => retryable(),
      1,
      () => kept,
    );
    expect(delivery.room({ entries: 2, bytes: 0 })).toBe(true);
    // An empty queue still takes a live notification whatever is kept.
    expect(delivery.enqueue(notification('a'), [target]).ok).toBe(true);
    expect(delivery.enqueue(notification('b'), [target]).ok).toBe(true);
    expect(delivery.enqueue(notification('c'), [target])).toEqual({ ok: false, reason: 'queue_full' });
    expect(delivery.room({ entries: 1, bytes: 0 })).toBe(false);

    kept.entries = 0;
    kept.bytes = 1024 * 1024;
    expect(delivery.room({ entries: 1, bytes: 1 })).toBe(false);
    expect(delivery.enqueue(notification('d'), [target])).toEqual({ ok: false, reason: 'queue_full' });
  });

  it('drains on shutdown, then dead-letters what is left at the deadline', async () => {
    const { clock, delivery } = setup((n) =>
      n === 1 ? ok() : { kind: 'rateLimited', status: 429, retryAfterMs: 60_000, scope: 'user', rateLimit: {} },
    );
    delivery.enqueue(notification('a'), [target]);
    delivery.enqueue(notification('b'), [target]);
    delivery.enqueue(notification('c'), [target]);
    const drained = delivery.drain(5000);
    expect(delivery.enqueue(notification('late'), [target])).toEqual({ ok: false, reason: 'shutting_down' });
    await clock.advance(5000);
    await drained;
    // a went out; b and c were still waiting on a 429 when the deadline passed.
    expect(delivery.deadLetters.list().map((d) => [d.groupKey, d.reason])).toEqual([
      ['b', 'shutdown'],
      ['c', 'shutdown'],
    ]);
  });

  it('shows the status page what waits, what Discord said and what was given up', async () => {
    const { clock, delivery } = setup((n) =>
      n === 1
        ? ok({ limit: 2, remaining: 0, resetAfterMs: 2000 })
        : { kind: 'gone', status: 404, code: 10015, rateLimit: {} },
    );
    for (const key of ['a', 'b', 'c']) delivery.enqueue(notification(key), [target]);
    await flush();
    let snap = delivery.snapshot([target]);
    expect(snap).toMatchObject({ queued: 2, deadLetters: [], deadLettersTotal: 0 });
    expect(snap.endpoints).toHaveLength(1);
    expect(snap.endpoints[0]).toMatchObject({
      target: 'team',
      webhookId: '123456789012345678',
      bucket: { remaining: 0, limit: 2, resetInMs: 2000 },
      breaker: { state: 'closed' },
      gone: undefined,
    });
    expect(snap.jobs.map((j) => j.notification.groupKey)).toEqual(['b', 'c']);
    expect(snap.recentAttempts).toEqual([
      {
        at: clock.now(),
        target: 'team',
        webhookId: '123456789012345678',
        alerts: 2,
        latencyMs: 0,
        result: 'ok',
        status: 200,
      },
    ]);

    await clock.advance(2000);
    snap = delivery.snapshot([target]);
    expect(snap.endpoints[0]!.gone).toMatch(/404/);
    expect(snap.jobs).toEqual([]);
    expect(snap.recentAttempts.map((a) => [a.result, a.status])).toEqual([
      ['ok', 200],
      ['gone', 404],
    ]);
    expect(snap.deadLettersTotal).toBe(2);
    expect(snap.deadLetters.map((d) => d.groupKey)).toEqual(['b', 'c']);
  });
});
