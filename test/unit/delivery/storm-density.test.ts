import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src/delivery/job.js';
import { discordMessageSchema, type DiscordMessage } from '../../../src/discord/message.js';
import { ArrivalLog, ARRIVAL_WINDOW_MS, chooseDigest } from '../../../src/delivery/storm-density.js';
import { FakeClock } from '../../support/fake-clock.js';
import { fakeWebhook, metricValue, notification, testDelivery, webhookTarget } from '../../support/delivery.js';
import { simulatedDiscord } from '../../support/simulated-discord.js';

const job = (alerts: number): Job => ({ notification: notification('g', 'info', alerts), parts: undefined }) as Job;

/** A channel that took nothing lately, at 30 messages / 60 s. */
const drainMs = (messages: number) => (messages <= 30 ? 0 : Math.ceil(messages / 30 - 1) * 60_000);

describe('choosing density', () => {
  it('keeps rich embeds for a quiet channel: one group of a few alerts', () => {
    expect(chooseDigest({ digest: false, queued: [job(3)], arrived: 1, drainMs, afterMs: 30_000 })).toBe(false);
  });

  it('turns to digests from the arrival rate while the backlog alone would still drain in time', () => {
    const queued = Array.from({ length: 10 }, () => job(10));
    expect(chooseDigest({ digest: false, queued, arrived: 0, drainMs, afterMs: 30_000 })).toBe(false);
    expect(chooseDigest({ digest: false, queued, arrived: 25, drainMs, afterMs: 30_000 })).toBe(true);
  });

  it('stays on until the channel could take twice what is needed', () => {
    const queued = [job(10)];
    expect(chooseDigest({ digest: true, queued, arrived: 20, drainMs, afterMs: 30_000 })).toBe(true);
    expect(chooseDigest({ digest: true, queued, arrived: 14, drainMs, afterMs: 30_000 })).toBe(false);
  });

  it('counts a big group as one rich message per 10 alerts', () => {
    expect(chooseDigest({ digest: false, queued: [job(310)], arrived: 0, drainMs, afterMs: 30_000 })).toBe(true);
  });

  it('never when the bound is off', () => {
    const queued = Array.from({ length: 100 }, () => job(10));
    expect(chooseDigest({ digest: false, queued, arrived: 100, drainMs, afterMs: Infinity })).toBe(false);
  });

  it('forgets arrivals older than the window', () => {
    const log = new ArrivalLog();
    log.record(0, 3);
    log.record(5000, 2);
    expect(log.messages(5000)).toBe(5);
    expect(log.messages(ARRIVAL_WINDOW_MS)).toBe(2);
    expect(log.nextExpiry()).toBe(5000 + ARRIVAL_WINDOW_MS);
    expect(log.messages(5000 + ARRIVAL_WINDOW_MS)).toBe(0);
    expect(log.nextExpiry()).toBeUndefined();
  });
});

describe('a storm on the fake clock', () => {
  const run = async (groups: { at: number; severity: string }[]) => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery, metrics } = testDelivery(clock, discord.sink, {
      pack: true,
      digestAfterMs: () => 30_000,
      render: (j, digest) => [
        {
          embeds: [{ title: `${digest ? 'digest' : 'own'}:${j.notification.groupKey}` }],
          allowed_mentions: { parse: [] },
        },
      ],
    });
    const target = webhookTarget('t', [fakeWebhook()]);
    for (const [i, g] of groups.entries()) {
      await clock.advance(g.at - clock.now());
      delivery.enqueue(notification(`g${i}`, g.severity, 10), [target]);
    }
    for (let i = 0; i < 240 && delivery.queued > 0; i++) await clock.advance(500);
    // What each request names, in embeds or content (a digest spills into the content).
    const titles = discord.delivered.map((d) => JSON.stringify(d.message).match(/(own|digest):g\d+/g)!);
    return { delivery, discord, metrics, titles, clock };
  };

  it('spends the first window on full digests, not on rich messages before the switch', async () => {
    // 100 groups of 10 alerts over 10 s, every tenth critical.
    const storm = Array.from({ length: 100 }, (_, i) => ({
      at: i * 100,
      severity: i % 10 === 0 ? 'critical' : 'info',
    }));
    const { delivery, discord, titles } = await run(storm);
    expect(delivery.queued).toBe(0);
    const rich = titles.filter((t) => t[0]!.startsWith('own:')).length;
    // Only the webhook's first burst (5 requests) goes out rich: the rate shows within 2 s.
    expect(rich).toBeLessThanOrEqual(5);
    // Every group named exactly once, and all of it within the channel's first window.
    expect(
      titles
        .flat()
        .map((t) => t.split(':')[1])
        .sort(),
    ).toEqual(storm.map((_, i) => `g${i}`).sort());
    expect(discord.delivered.length).toBeLessThan(30);
    expect(discord.delivered.at(-1)!.at).toBeLessThan(60_000);
    expect(discord.rateLimited).toEqual([]);
    // A digest waits for company: its requests go out nearly full.
    const digests = titles.filter((t) => t[0]!.startsWith('digest:'));
    const full = digests.filter((t) => t.length >= 8).length;
    expect(full / digests.length).toBeGreaterThan(0.5);
  });

  it('sends a critical group at once in a storm, taking the waiting ones along', async () => {
    const storm = Array.from({ length: 60 }, (_, i) => ({ at: i * 100, severity: i === 40 ? 'critical' : 'info' }));
    const { discord } = await run(storm);
    const critical = discord.delivered.find((d) => d.message.embeds!.some((e) => e.title!.endsWith(':g40')))!;
    expect(critical.at - 4000).toBeLessThan(DIGEST_LINGER_GUARD_MS);
  });

  it('ends the digest when the arrivals leave the window, even with nothing queued', async () => {
    const storm = Array.from({ length: 60 }, (_, i) => ({ at: i * 50, severity: 'info' }));
    const { delivery, metrics, clock } = await run(storm);
    expect(delivery.queued).toBe(0);
    await clock.advance(ARRIVAL_WINDOW_MS);
    expect(await metricValue(metrics, 'alertcord_digest_mode', { target: 't' })).toBe(0);
  });
});

describe('a digest request', () => {
  it('names more groups in its content once its embeds are full, within every limit and pinging nobody', async () => {
    const clock = new FakeClock(0);
    const discord = simulatedDiscord(clock);
    const { delivery } = testDelivery(clock, discord.sink, {
      pack: true,
      digestAfterMs: () => 1,
      render: (j) => [
        {
          embeds: [{ title: j.notification.groupKey, description: `@everyone ${'x'.repeat(690)}` }],
          allowed_mentions: { parse: [] },
        },
      ],
    });
    const target = webhookTarget('t', [fakeWebhook()]);
    for (let i = 0; i < 40; i++) delivery.enqueue(notification(`g${i}`, 'info', 40), [target]);
    for (let i = 0; i < 240 && delivery.queued > 0; i++) await clock.advance(500);
    expect(delivery.queued).toBe(0);
    const named = (m: DiscordMessage) => JSON.stringify(m).match(/g\d+/g)!.length;
    const sent = discord.delivered.map((d) => d.message);
    for (const m of sent) {
      expect(discordMessageSchema.safeParse(m).success).toBe(true);
      expect(m.allowed_mentions).toEqual({ parse: [] });
      expect(m.content ?? '').not.toContain('@everyone');
    }
    // 8 such embeds fill 6000 characters; the content carries two more.
    expect(sent.some((m) => named(m) > (m.embeds?.length ?? 0) && (m.content?.length ?? 0) > 1000)).toBe(true);
    expect(sent.flatMap((m) => JSON.stringify(m).match(/g\d+/g)!).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `g${i}`).sort(),
    );
  });
});

/** A critical group never waits out the digest's linger (2 s). */
const DIGEST_LINGER_GUARD_MS = 1000;
