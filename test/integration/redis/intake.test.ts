import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectRedis, whenReady } from '../../../src/state/redis/redis-connection.js';
import { RedisIntake } from '../../../src/state/redis/redis-intake.js';
import { redisKeys } from '../../../src/state/redis/redis-keys.js';
import { StreamConsumer } from '../../../src/state/redis/stream-consumer.js';
import { redisTestsEnabled, startRedisServer, type RedisServerHandle } from '../../support/redis-server.js';

const record = (n: number, receiverPath?: string) => ({
  notification: { groupKey: `{}:{alertname="A${n}"}`, alerts: [{ status: 'firing', labels: { n: String(n) } }] },
  receiverPath,
  receivedAt: 1_700_000_000_000 + n,
});

describe.runIf(redisTestsEnabled)('RedisIntake and StreamConsumer on a real redis-server', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  let keys = redisKeys('intake-test-0:');
  let n = 0;
  const consumers: StreamConsumer[] = [];
  const consumer = async (name: string) => {
    const c = new StreamConsumer({ redis, keys, consumer: name, blockMs: 200 });
    consumers.push(c);
    await c.start();
    return c;
  };

  beforeAll(async () => {
    server = await startRedisServer({ appendonly: true });
    redis = connectRedis(server.url, { name: 'test' });
    await whenReady(redis, 5_000);
  });
  beforeEach(() => {
    consumers.splice(0).forEach((c) => c.close());
    keys = redisKeys(`intake-test-${++n}:`);
  });
  afterAll(async () => {
    consumers.forEach((c) => c.close());
    redis?.disconnect();
    await server?.close();
  });

  it('appends a notification that the consumer reads back whole; ack removes it from the stream', async () => {
    const intake = new RedisIntake({ redis, keys });
    const c = await consumer('pod-a');
    const first = await intake.append(record(1, 'team-a'));
    const second = await intake.append(record(2));
    expect(first.ok && second.ok).toBe(true);
    const read = await c.read();
    expect(read).toEqual([
      { id: first.ok ? first.id : '', ...record(1, 'team-a') },
      { id: second.ok ? second.id : '', ...record(2) },
    ]);
    expect([await c.streamLength(), await c.pending()]).toEqual([2, 2]);
    await c.ack(read[0]?.id ?? '');
    expect([await c.streamLength(), await c.pending()]).toEqual([1, 1]);
    expect(await c.read()).toEqual([]); // nothing new within the block time
  });

  it('answers full at the bound, and takes again once an entry is acked', async () => {
    const intake = new RedisIntake({ redis, keys, maxEntries: 2 });
    const c = await consumer('pod-a');
    expect((await intake.append(record(1))).ok).toBe(true);
    expect((await intake.append(record(2))).ok).toBe(true);
    expect(await intake.append(record(3))).toEqual({ ok: false, reason: 'full' });
    const [oldest] = await c.read();
    await c.ack(oldest?.id ?? '');
    expect((await intake.append(record(3))).ok).toBe(true);
    expect(await c.streamLength()).toBe(2);
  });

  it('gives the entries a dispatcher read but did not ack to the next one, before new entries', async () => {
    const intake = new RedisIntake({ redis, keys });
    for (let i = 1; i <= 3; i++) await intake.append(record(i));
    const old = await consumer('pod-a');
    const readByOld = await old.read();
    await old.ack(readByOld[0]?.id ?? '');
    old.close(); // dies with two entries read and not acked
    await intake.append(record(4));

    const next = await consumer('pod-b');
    const claimed = await next.claimPending();
    expect(claimed.map((e) => e.receivedAt)).toEqual([record(2).receivedAt, record(3).receivedAt]);
    expect((await next.read()).map((e) => e.receivedAt)).toEqual([record(4).receivedAt]);
    expect(await next.pending()).toBe(3);
    for (const e of claimed) await next.ack(e.id);
    expect([await next.streamLength(), await next.pending()]).toEqual([1, 1]);
  });

  it('acks away an entry intake did not write, instead of leaving it pending', async () => {
    const c = await consumer('pod-a');
    await redis.xadd(keys.intake, '*', 'something', 'else');
    await new RedisIntake({ redis, keys }).append(record(1));
    expect((await c.read()).map((e) => e.receivedAt)).toEqual([record(1).receivedAt]);
    expect(await c.streamLength()).toBe(1);
  });

  it('answers unavailable fast while Redis hangs or is down; what was taken survives a restart', async () => {
    const intake = new RedisIntake({ redis, keys });
    const taken = [await intake.append(record(1)), await intake.append(record(2))];
    expect(taken.every((r) => r.ok)).toBe(true);

    server.pause();
    let started = Date.now();
    expect(await intake.append(record(3))).toEqual({ ok: false, reason: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(2_500); // commandTimeout 1 s, not a hang
    server.resume();

    await server.stop();
    started = Date.now();
    expect(await intake.append(record(3))).toEqual({ ok: false, reason: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(1_000); // refused at once: no offline queue
    await server.restart();
    await whenReady(redis, 5_000);

    const c = await consumer('pod-a');
    const read = (await c.read()).map((e) => e.receivedAt);
    expect(read.slice(0, 2)).toEqual([record(1).receivedAt, record(2).receivedAt]);
    // An append that timed out while Redis hung may still have been applied once it went on:
    // "unavailable" means "not known to be stored", so Alertmanager's retry can make a second
    // entry of the same notification (at least once; a replay of a state already shown is a
    // no-op). Never anything else.
    expect(read.slice(2)).toEqual(read.length > 2 ? [record(3).receivedAt] : []);
    expect((await intake.append(record(3))).ok).toBe(true);
  });
});
