import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lease, type LeaseGrant } from '../../../src/state/redis/lease.js';
import { connectRedis, whenReady } from '../../../src/state/redis/redis-connection.js';
import { FencedError, RedisJournal } from '../../../src/state/redis/redis-journal.js';
import { redisKeys } from '../../../src/state/redis/redis-keys.js';
import { redisTestsEnabled, startRedisServer, type RedisServerHandle } from '../../support/redis-server.js';

const keys = redisKeys('journal-test:');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(redisTestsEnabled)('RedisJournal on a real redis-server', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  let lease: Lease;
  let grant: LeaseGrant;

  beforeAll(async () => {
    server = await startRedisServer({ appendonly: true });
    redis = connectRedis(server.url, { name: 'test' });
    await whenReady(redis, 5_000);
    lease = new Lease({ redis, keys, holder: 'pod-a', ttlMs: 60_000 });
    grant = await new Promise<LeaseGrant>((resolve) => {
      lease.once('acquired', resolve);
      lease.start();
    });
  });
  afterAll(async () => {
    await lease?.stop();
    redis?.disconnect();
    await server?.close();
  });

  it('stores puts and removes in order, and a later process loads the last value of each entry', async () => {
    const journal = new RedisJournal({ redis, keys, fence: grant.fence });
    journal.put('messages', 'team/g1', { messageId: '111', parts: ['a'] }, 60_000);
    journal.put('messages', 'team/g2', { messageId: '222', parts: [] }, 60_000);
    journal.put('messages', 'team/g1', { messageId: '333', parts: ['a', 'b'] }, 60_000);
    journal.put('dedup', 'team/g1', 'fingerprint', 60_000);
    journal.put('heartbeat', 'Watchdog', 1_700_000_000_000);
    journal.remove('messages', 'team/g2');
    await journal.flush();

    const next = new RedisJournal({ redis, keys, fence: 'not needed to read' });
    expect(await next.load('messages')).toEqual([['team/g1', { messageId: '333', parts: ['a', 'b'] }]]);
    expect(await next.load('dedup')).toEqual([['team/g1', 'fingerprint']]);
    expect(await next.load('heartbeat')).toEqual([['Watchdog', 1_700_000_000_000]]);
    expect(await next.load('held')).toEqual([]);
    expect(await redis.pttl(keys.entry('messages', 'team/g1'))).toBeGreaterThan(50_000);
    expect(await redis.pttl(keys.entry('heartbeat', 'Watchdog'))).toBe(-1);
  });

  it('lets entries expire with their TTL, from Redis and from load', async () => {
    const journal = new RedisJournal({ redis, keys, fence: grant.fence });
    journal.put('held', 'short', { a: 1 }, 150);
    journal.put('held', 'long', { a: 2 }, 60_000);
    await journal.flush();
    expect((await journal.load('held')).map(([k]) => k)).toEqual(['short', 'long']);
    await sleep(300);
    expect(await journal.load('held')).toEqual([['long', { a: 2 }]]);
    expect(await redis.exists(keys.entry('held', 'short'))).toBe(0);
    journal.put('held', 'other', 1, 60_000); // a write prunes the index of the space it touches
    await journal.flush();
    expect(await redis.zrange(keys.index('held'), '0', '-1')).toEqual(['long', 'other']);
  });

  it('caps a space: beyond the cap the entries closest to expiry are evicted', async () => {
    const journal = new RedisJournal({ redis, keys, fence: grant.fence, maxEntriesPerSpace: 3 });
    for (let i = 1; i <= 5; i++) journal.put('dead-letters', `d${i}`, { i }, i * 10_000);
    await journal.flush();
    expect((await journal.load('dead-letters')).map(([k]) => k)).toEqual(['d3', 'd4', 'd5']);
    expect(await redis.zcard(keys.index('dead-letters'))).toBe(3);
    expect(await redis.exists(keys.entry('dead-letters', 'd1'), keys.entry('dead-letters', 'd2'))).toBe(0);
  });

  it('writes a large batch in chunks, all of it before flush resolves', async () => {
    const journal = new RedisJournal({ redis, keys, fence: grant.fence, maxBatch: 100 });
    for (let i = 0; i < 1_000; i++) journal.put('escalations', `e${i}`, i, 60_000);
    await journal.flush();
    const loaded = await journal.load('escalations');
    expect(loaded).toHaveLength(1_000);
    // Equal expiry times: the index orders them by key, not by when they were put.
    const values = loaded.map(([, v]) => v as number).sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
  });

  it('refuses the writes of a holder whose lease was taken over, and says it is fenced', async () => {
    const oldLease = new Lease({ redis, keys: redisKeys('fence-test:'), holder: 'old', ttlMs: 300 });
    const old = await new Promise<LeaseGrant>((resolve) => {
      oldLease.once('acquired', resolve);
      oldLease.start();
    });
    let fenced = 0;
    const oldJournal = new RedisJournal({
      redis,
      keys: redisKeys('fence-test:'),
      fence: old.fence,
      onFenced: () => fenced++,
    });
    oldJournal.put('messages', 'g', 'from the old dispatcher', 60_000);
    await oldJournal.flush();

    // The old holder stalls (stops renewing) and the lease expires; a standby takes over.
    await oldLease.stop().catch(() => {});
    await redis.set(redisKeys('fence-test:').lease, old.fence, 'PX', 100); // as if never released
    const newLease = new Lease({ redis, keys: redisKeys('fence-test:'), holder: 'new', ttlMs: 300 });
    const taken = await new Promise<LeaseGrant>((resolve) => {
      newLease.once('acquired', resolve);
      newLease.start();
    });
    expect(taken.token).toBeGreaterThan(old.token);

    oldJournal.put('messages', 'g', 'late write of the old dispatcher', 60_000);
    await expect(oldJournal.flush()).rejects.toBeInstanceOf(FencedError);
    expect(oldJournal.fenced).toBe(true);
    expect(fenced).toBe(1);
    const newJournal = new RedisJournal({ redis, keys: redisKeys('fence-test:'), fence: taken.fence });
    expect(await newJournal.load('messages')).toEqual([['g', 'from the old dispatcher']]);
    newJournal.put('messages', 'g', 'from the new dispatcher', 60_000);
    await newJournal.flush();
    expect(await newJournal.load('messages')).toEqual([['g', 'from the new dispatcher']]);
    await newLease.stop();
  });

  it('while Redis is down, flush fails fast and keeps the changes; they are stored once it is back', async () => {
    const journal = new RedisJournal({ redis, keys, fence: grant.fence, retryDelayMs: 100 });
    await server.stop();
    journal.put('channel-windows', 'channel-1', { sent: [1, 2, 3] }, 60_000);
    const started = Date.now();
    await expect(journal.flush()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    journal.put('channel-windows', 'channel-1', { sent: [1, 2, 3, 4] }, 60_000);

    await server.restart(); // appendonly: the lease survives, so this tenure may still write
    await whenReady(redis, 5_000);
    await expect
      .poll(
        () =>
          journal.flush().then(
            () => 'stored',
            () => 'failed',
          ),
        { timeout: 5_000 },
      )
      .toBe('stored');
    expect(await journal.load('channel-windows')).toEqual([['channel-1', { sent: [1, 2, 3, 4] }]]);
  });
});
