import { describe, expect, it } from 'vitest';
import type { MessageSink } from '../../../src/discord/client.js';
import type { SendResult } from '../../../src/discord/send-result.js';
import { InMemoryMessageMemory } from '../../../src/lifecycle/message-memory.js';
import { FakeClock } from '../../support/fake-clock.js';
import { fakeWebhook, metricValue, notification, testDelivery, webhookTarget } from '../../support/delivery.js';

const ok: SendResult = { kind: 'ok', status: 200, messageId: '1', channelId: '2', rateLimit: {} };
const TOKEN = `LEAKY-token-${'y'.repeat(56)}`;

/** A sink that records what it was sent and throws (a bug, not an answer) for the group `bad`. */
function throwingSink() {
  const sent: string[] = [];
  const sink: MessageSink = {
    execute: async (_w, m) => {
      sent.push(m.content!);
      if (m.content === 'bad') throw new TypeError(`cannot read https://discord.com/api/webhooks/1234567/${TOKEN}`);
      return ok;
    },
    edit: async () => ok,
    delete: async () => ok,
    close: async () => {},
  };
  return { sink, sent };
}

describe('the delivery loop survives unexpected exceptions', () => {
  it('dead-letters the job whose send threw, counts and logs it without the token, and goes on', async () => {
    const clock = new FakeClock(0);
    const { sink, sent } = throwingSink();
    const { delivery, metrics, logs } = testDelivery(clock, sink);
    const target = webhookTarget('t', [fakeWebhook()]);
    for (const key of ['a', 'bad', 'c']) delivery.enqueue(notification(key), [target]);
    await clock.advance(5000);
    expect(sent).toEqual(['a', 'bad', 'c']);
    expect(delivery.queued).toBe(0);
    expect(delivery.deadLetters.list().map((d) => [d.groupKey, d.reason])).toEqual([['bad', 'internal_error']]);
    expect(await metricValue(metrics, 'alertcord_delivery_errors_total')).toBe(1);
    expect(await metricValue(metrics, 'alertcord_dead_letters_total', { reason: 'internal_error' })).toBe(1);
    const text = logs.join('\n');
    expect(text).toContain('unexpected error in the delivery loop');
    expect(text).not.toContain(TOKEN);
    expect(JSON.stringify(delivery.deadLetters.list())).not.toContain(TOKEN);
  });

  it('dead-letters a job that throws while its webhook is chosen, and sends the others', async () => {
    const clock = new FakeClock(0);
    const { sink, sent } = throwingSink();
    const memory = new InMemoryMessageMemory({ ttlMs: 60_000, maxEntries: 100, clock });
    const get = memory.get.bind(memory);
    memory.get = (target, groupKey) => {
      if (groupKey === 'cursed') throw new Error('memory lookup failed');
      return get(target, groupKey);
    };
    const { delivery, metrics } = testDelivery(clock, sink, { memory });
    const target = webhookTarget('t', [fakeWebhook()]);
    for (const key of ['a', 'cursed', 'c']) delivery.enqueue(notification(key), [target]);
    await clock.advance(5000);
    expect(sent).toEqual(['a', 'c']);
    expect(delivery.deadLetters.list().map((d) => [d.groupKey, d.reason])).toEqual([['cursed', 'internal_error']]);
    expect(await metricValue(metrics, 'alertcord_delivery_errors_total')).toBe(1);
  });

  it('keeps the loop running after an exception outside any one job', async () => {
    const clock = new FakeClock(0);
    const { sink, sent } = throwingSink();
    let calls = 0;
    const { delivery, metrics } = testDelivery(clock, sink, {
      digestAfterMs: () => {
        calls += 1;
        if (calls === 1) throw new Error('digest bound failed');
        return Infinity;
      },
    });
    delivery.enqueue(notification('a'), [webhookTarget('t', [fakeWebhook()])]);
    await clock.advance(5000);
    expect(sent).toEqual(['a']);
    expect(delivery.deadLetters.list()).toEqual([]);
    expect(await metricValue(metrics, 'alertcord_delivery_errors_total')).toBe(1);
  });
});
