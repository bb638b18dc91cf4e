import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Lease, type LeaseGrant, type LeaseLossReason } from '../../../src/state/redis/lease.js';
import { connectRedis, whenReady } from '../../../src/state/redis/redis-connection.js';
import { redisKeys, type RedisKeys } from '../../../src/state/redis/redis-keys.js';
import { redisTestsEnabled, startRedisServer, type RedisServerHandle } from '../../support/redis-server.js';

const TTL = 600;
const acquired = (lease: Lease) => new Promise<LeaseGrant>((resolve) => lease.once('acquired', resolve));
const lost = (lease: Lease) =>
  new Promise<LeaseLossReason>((resolve) => lease.once('lost', (_grant, reason) => resolve(reason)));

describe.runIf(redisTestsEnabled)('dispatcher Lease on a real redis-server', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  const opened: Redis[] = [];
  const leases: Lease[] = [];
  let n = 0;
  let keys: RedisKeys;

  const connection = async () => {
    const c = connectRedis(server.url, { name: `lease-${opened.length}` });
    opened.push(c);
    await whenReady(c, 5_000);
    return c;
  };
  const lease = async (holder: string) => {
    const own = await connection();
    const l = new Lease({ redis: own, keys, holder, ttlMs: TTL });
    leases.push(l);
    return Object.assign(l, { cutOff: () => own.disconnect() });
  };

  beforeAll(async () => {
    server = await startRedisServer();
    redis = connectRedis(server.url, { name: 'test' });
    await whenReady(redis, 5_000);
  });
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((l) => l.stop()));
    keys = redisKeys(`lease-test-${++n}:`);
  });
  afterAll(async () => {
    for (const c of [redis, ...opened]) c?.disconnect();
    await server?.close();
  });
  keys = redisKeys('lease-test-0:');

  it('goes to exactly one of two contenders, and holder() names it', async () => {
    const [a, b] = [await lease('pod-a'), await lease('pod-b')];
    const first = Promise.race([acquired(a), acquired(b)]);
    a.start();
    b.start();
    const grant = await first;
    await new Promise((r) => setTimeout(r, TTL)); // a few rounds of renewing and polling
    expect([a.role, b.role].sort()).toEqual(['dispatcher', 'standby']);
    expect(await a.holder()).toMatchObject({ holder: grant.holder, token: grant.token });
    expect((await b.holder())?.expiresInMs).toBeGreaterThan(0);
  });

  it('is taken over by the standby once the holder can no longer renew it, with a larger token', async () => {
    const a = await lease('pod-a');
    a.start();
    const first = await acquired(a);
    const b = await lease('pod-b');
    b.start();
    const aLost = lost(a);
    const bAcquired = acquired(b);
    // The holder is cut off from Redis: it cannot renew (nor release).
    const cutAt = Date.now();
    a.cutOff();
    const taken = await bAcquired;
    const takeoverMs = Date.now() - cutAt;
    expect(taken).toMatchObject({ holder: 'pod-b' });
    expect(taken.token).toBeGreaterThan(first.token);
    // Expiry (at most ttl after the last renewal) plus one standby poll (ttl/3), with slack for a loaded machine.
    expect(takeoverMs).toBeLessThan(2 * TTL + 500);
    expect(await aLost).toBe('unreachable');
    expect(a.role).toBe('standby');
  });

  it('is lost as refused when another took it, and released at once on stop', async () => {
    const a = await lease('pod-a');
    a.start();
    const grant = await acquired(a);
    const aLost = lost(a);
    await redis.set(keys.lease, `${grant.token + 1}|intruder`, 'PX', 10_000);
    expect(await aLost).toBe('refused');
    await redis.del(keys.lease);

    const again = await acquired(a);
    expect(again.token).toBeGreaterThan(grant.token);
    const b = await lease('pod-b');
    b.start();
    const bAcquired = acquired(b);
    await a.stop();
    expect(await redis.get(keys.lease)).not.toBe(again.fence);
    expect((await bAcquired).holder).toBe('pod-b');
  });
});
