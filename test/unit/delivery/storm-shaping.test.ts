import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageSink } from '../../../src/discord/client.js';
import { LIMITS } from '../../../src/discord/limits.js';
import { discordMessageSchema, embedsTotalLength, type DiscordMessage } from '../../../src/discord/message.js';
import { joinMessages } from '../../../src/delivery/pack.js';
import { FakeClock } from '../../support/fake-clock.js';
import { fakeWebhook, metricValue, notification, testDelivery, webhookTarget } from '../../support/delivery.js';
import { simulatedDiscord } from '../../support/simulated-discord.js';
import { invalidFormBody } from '../../support/send-results.js';

/** Messages counted by the latency histogram for one priority. */
async function latencyCount(metrics: ReturnType<typeof testDelivery>['metrics'], priority: string): Promise<number> {
  const text = await metrics.registry.getSingleMetricAsString('alertcord_delivery_latency_seconds');
  const line = text
    .split('\n')
    .find((l) => l.startsWith('alertcord_delivery_latency_seconds_count') && l.includes(`"${priority}"`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

async function until(clock: FakeClock, done: () => boolean, boundMs = 30 * 60_000): Promise<void> {
  const end = clock.now() + boundMs;
  while (!done()) {
    if (clock.now() >= end) throw new Error('condition not reached in time');
    await clock.advance(500);
  }
}

const SILENT = 1 << 12;

describe('coalescing', () => {
  it('sends the current state of a group, not the states that came while it waited', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock, { webhookLimit: { limit: 1, windowMs: 2000 } });
    const { delivery, metrics } = testDelivery(clock, discord.sink, {
      render: (job) => [
        { content: `${job.notification.groupKey}×${job.notification.alerts.length}`, allowed_mentions: { parse: [] } },
      ],
    });
    const target = webhookTarget('t', [fakeWebhook()]);
    delivery.enqueue(notification('g', 'info', 1), [target]);
    await clock.advance(100);
    // The first is on its way; these three arrive while the bucket is empty.
    delivery.enqueue(notification('g', 'info', 2), [target]);
    delivery.enqueue(notification('other', 'info', 1), [target]);
    delivery.enqueue(notification('g', 'critical', 3), [target]);
    delivery.enqueue(notification('g', 'info', 4), [target]);
    await until(clock, () => delivery.queued === 0);
    expect(discord.delivered.map((d) => d.message.content)).toEqual(['g×1', 'g×4', 'other×1']);
    expect(await metricValue(metrics, 'alertcord_coalesced_total', { target: 't' })).toBe(2);
    expect(delivery.deadLetters.total).toBe(0);
    // The replacing job kept the critical priority of the one it replaced, and counted once.
    expect(await latencyCount(metrics, 'critical')).toBe(1);
  });
});

describe('storm digest', () => {
  it('renders digests while the backlog would take longer than the bound, and the own template once it clears', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery, metrics } = testDelivery(clock, discord.sink, {
      digestAfterMs: () => 30_000,
      render: (job, digest) => [
        { content: `${digest ? 'digest' : 'own'}:${job.notification.groupKey}`, allowed_mentions: { parse: [] } },
      ],
    });
    const target = webhookTarget('t', [fakeWebhook()]);
    delivery.enqueue(notification('calm'), [target]);
    await until(clock, () => delivery.queued === 0);
    // 40 messages at 30 per 60 s: 80 s to drain, beyond the 30 s bound.
    for (let i = 0; i < 40; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await clock.advance(1000);
    expect(await metricValue(metrics, 'alertcord_digest_mode', { target: 't' })).toBe(1);
    await until(clock, () => delivery.queued === 0);
    const kinds = discord.delivered.map((d) => String(d.message.content).split(':')[0]).join(' ');
    // One switch on, one switch back: digests while the backlog is long, then the own template.
    expect(kinds).toMatch(/^own (digest ){20,}(own ?)+$/);
    // Switched back only once the rest fit the channel within half the bound.
    const back = discord.delivered.find((d, i) => i > 0 && String(d.message.content).startsWith('own:'))!;
    const after = discord.delivered.filter((d) => d.at >= back.at);
    expect(after.at(-1)!.at - back.at).toBeLessThanOrEqual(15_000 + 2000);
    expect(await metricValue(metrics, 'alertcord_digest_mode', { target: 't' })).toBe(0);
  });

  it('never switches a target whose bound is off', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery } = testDelivery(clock, discord.sink, {
      render: (_job, digest) => [{ content: digest ? 'digest' : 'own', allowed_mentions: { parse: [] } }],
    });
    const target = webhookTarget('t', [fakeWebhook()]);
    for (let i = 0; i < 40; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await until(clock, () => delivery.queued === 0);
    expect(new Set(discord.delivered.map((d) => d.message.content))).toEqual(new Set(['own']));
  });
});

const message = (content: string, embeds: number, description: number, flags?: number): DiscordMessage => ({
  ...(content ? { content } : {}),
  embeds: Array.from({ length: embeds }, (_, i) => ({ title: `e${i}`, description: 'x'.repeat(description) })),
  allowed_mentions: { parse: [] },
  ...(flags !== undefined ? { flags } : {}),
});

describe('packing', () => {
  it('joins messages only within Discord limits, and refuses exactly when they would be exceeded', () => {
    const arb = fc.record({
      content: fc.string({ maxLength: 1200 }),
      embeds: fc.integer({ min: 0, max: 6 }),
      description: fc.integer({ min: 1, max: 2500 }),
      silent: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const ma = message(a.content.trim() || 'a', a.embeds, a.description, a.silent ? SILENT : undefined);
        const mb = message(b.content.trim() || 'b', b.embeds, b.description, b.silent ? SILENT : undefined);
        if (!discordMessageSchema.safeParse(ma).success || !discordMessageSchema.safeParse(mb).success) return;
        const joined = joinMessages(ma, mb)?.message;
        const embeds = [...ma.embeds!, ...mb.embeds!];
        const fits =
          a.silent === b.silent &&
          embeds.length <= LIMITS.embedsPerMessage &&
          embedsTotalLength(embeds) <= LIMITS.embedTotal &&
          ma.content!.length + 1 + mb.content!.length <= LIMITS.content;
        expect(joined !== undefined).toBe(fits);
        if (joined) {
          expect(discordMessageSchema.safeParse(joined).success).toBe(true);
          expect(joined.embeds ?? []).toEqual(embeds);
          expect(joined.content).toBe(`${ma.content}\n${mb.content}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives embeds that repeat a url across the packed messages a marker, so the client shows them all', () => {
    const GEN = 'http://prometheus.example:9090/graph?g0.expr=up';
    const one = (title: string): DiscordMessage => ({ embeds: [{ title, url: GEN }], allowed_mentions: { parse: [] } });
    const ab = joinMessages(one('a'), one('b'));
    expect(ab?.message.embeds?.map((e) => e.url)).toEqual([GEN, `${GEN}#2`]);
    expect(ab?.urlChanges).toEqual([{ index: 1, action: 'replaced' }]);
    const abc = joinMessages(ab!.message, one('c'));
    expect(abc?.message.embeds?.map((e) => e.url)).toEqual([GEN, `${GEN}#2`, `${GEN}#3`]);
    expect(abc?.urlChanges).toEqual([{ index: 2, action: 'replaced' }]);
  });

  it('sends packed requests whose embeds all have their own url, and counts each marker as a fit cut', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const GEN = 'http://prometheus.example:9090/graph?g0.expr=up';
    const { delivery, metrics } = testDelivery(clock, discord.sink, {
      pack: true,
      render: (job) => [{ embeds: [{ title: job.notification.groupKey, url: GEN }], allowed_mentions: { parse: [] } }],
    });
    const target = { ...webhookTarget('t', [fakeWebhook()]), resolve: 'new' as const };
    for (let i = 0; i < 40; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await until(clock, () => delivery.queued === 0);
    const sent = discord.delivered.map((d) => d.message);
    expect(sent.some((m) => (m.embeds?.length ?? 0) > 1)).toBe(true);
    for (const m of sent) {
      const urls = (m.embeds ?? []).map((e) => e.url);
      expect(new Set(urls).size).toBe(urls.length);
    }
    const markers = sent.reduce((n, m) => n + (m.embeds?.length ?? 0) - 1, 0);
    expect(await metricValue(metrics, 'alertcord_fit_cuts_total', { action: 'replaced' })).toBe(markers);
  });

  it('carries many messages per request under the channel budget: each delivered once, none over a limit', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery, metrics } = testDelivery(clock, discord.sink, {
      pack: true,
      render: (job) => [
        {
          content: `<@&123> ${job.notification.groupKey}`,
          embeds: [{ title: job.notification.groupKey, description: 'x'.repeat(900) }],
          allowed_mentions: { parse: [], roles: ['123'] },
          ...(job.flags !== undefined ? { flags: job.flags } : {}),
        },
      ],
    });
    // A target that posts every update anew: its messages may share a request outside a storm.
    const target = { ...webhookTarget('t', [fakeWebhook()]), resolve: 'new' as const };
    for (let i = 0; i < 120; i++) {
      delivery.enqueue(notification(`g${i}`), [target], i % 3 === 0 ? { flags: SILENT } : {});
    }
    await until(clock, () => delivery.queued === 0);
    const sent = discord.delivered.map((d) => d.message);
    for (const m of sent) {
      expect(discordMessageSchema.safeParse(m).success).toBe(true);
      expect(embedsTotalLength(m.embeds ?? [])).toBeLessThanOrEqual(LIMITS.embedTotal);
      expect(m.allowed_mentions).toEqual({ parse: [], roles: ['123'] });
      // Silent and loud messages never share a request.
      const keys = m.embeds!.map((e) => Number(e.title!.slice(1)));
      expect(new Set(keys.map((k) => k % 3 === 0)).size).toBe(1);
      expect(m.content).toBe(keys.map((k) => `<@&123> g${k}`).join('\n'));
    }
    const titles = sent.flatMap((m) => m.embeds!.map((e) => e.title));
    expect(titles.sort()).toEqual(Array.from({ length: 120 }, (_, i) => `g${i}`).sort());
    expect(sent.length).toBeLessThan(40);
    expect(discord.rateLimited).toEqual([]);
    expect(delivery.deadLetters.total).toBe(0);
    expect(await latencyCount(metrics, 'low')).toBe(120);
  });

  it('sends each message of a packed request Discord refuses alone, and dead-letters only the bad one', async () => {
    const clock = new FakeClock(0);
    const requests: string[][] = [];
    const rejected = invalidFormBody({ content: { _errors: [{ code: 'BASE_TYPE_BAD', message: 'bad' }] } });
    const sink: MessageSink = {
      execute: async (_w, m) => {
        const keys = m.content!.split('\n');
        requests.push(keys);
        return keys.includes('g3')
          ? rejected
          : { kind: 'ok', status: 200, messageId: '1', channelId: '2', rateLimit: {} };
      },
      edit: async () => {
        throw new Error('no edits here');
      },
      delete: async () => {
        throw new Error('no deletes here');
      },
      close: async () => {},
    };
    const { delivery, metrics, logs } = testDelivery(clock, sink, { pack: true });
    const target = { ...webhookTarget('t', [fakeWebhook()]), resolve: 'new' as const };
    const keys = Array.from({ length: 6 }, (_, i) => `g${i}`);
    for (const key of keys) delivery.enqueue(notification(key), [target]);
    await until(clock, () => delivery.queued === 0, 60_000);
    expect(requests[0]).toEqual(keys);
    // Then one request per message, in order.
    expect(requests.slice(1)).toEqual(keys.map((k) => [k]));
    expect(delivery.deadLetters.list().map((d) => [d.groupKey, d.reason])).toEqual([['g3', 'rejected']]);
    expect(await metricValue(metrics, 'alertcord_messages_delivered_total', { target: 't' })).toBe(5);
    expect(logs.join('\n')).toContain('Discord refused a packed request; sending its messages one by one');
  });

  it('does not pack for a target that edits its messages in place, outside a storm', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery } = testDelivery(clock, discord.sink, {
      pack: true,
      render: (job) => [
        { embeds: [{ title: job.notification.groupKey, description: 'x' }], allowed_mentions: { parse: [] } },
      ],
    });
    const target = webhookTarget('t', [fakeWebhook()]);
    for (let i = 0; i < 12; i++) delivery.enqueue(notification(`g${i}`), [target]);
    await until(clock, () => delivery.queued === 0);
    // Each group's message is its own, so a later update can edit it.
    expect(discord.delivered.map((d) => d.message.embeds?.length)).toEqual(Array.from({ length: 12 }, () => 1));
  });
});
