import { describe, expect, it } from 'vitest';
import { channelState } from '../support/channel-state.js';
import { startHaCluster } from '../support/ha-cluster.js';
import { settle } from '../support/ha-figures.js';
import { redisTestsEnabled, requireRedisServer } from '../support/redis-server.js';
import type { Replica } from '../support/replica.js';
import { probeNotification } from '../support/probe-notification.js';

interface Answer {
  status: number;
  retryAfter: string | null;
}

let next = 900_000;
/** One notification of one alert with a fresh id, as Alertmanager posts it. */
function notification(): { id: string; body: unknown } {
  const id = `A${String(++next)}`;
  return probeNotification('RedisRestartProbe', id, { alertname: 'RedisRestartProbe', instance: `probe-${id}` });
}

/** Posts straight to a replica; a replica that does not answer within 5 s counts as status 0. */
async function post(replica: Replica, body: unknown): Promise<Answer> {
  try {
    const res = await fetch(`${replica.url}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    await res.body?.cancel();
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  } catch {
    return { status: 0, retryAfter: null };
  }
}

/**
 * Issue 15, done when: Redis (append-only) restarted while notifications stream in. Whatever a
 * replica answered 200 was in the stream, so it reaches Discord; while Redis is down a replica
 * answers 503 with Retry-After, so Alertmanager keeps the notification and retries.
 */
describe.skipIf(!redisTestsEnabled)('HA: Redis restarted mid-stream', () => {
  it('delivers everything answered 200 and answers 503 + Retry-After while Redis is down', async () => {
    requireRedisServer();
    const cluster = await startHaCluster({ replicas: 2, appendonly: true });
    try {
      const accepted: string[] = [];
      const stream = async (ms: number): Promise<void> => {
        const end = Date.now() + ms;
        for (let i = 0; Date.now() < end; i++) {
          const n = notification();
          const answer = await post(cluster.replicas[i % 2]!, n.body);
          if (answer.status === 200) accepted.push(n.id);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await stream(3000);
      const acceptedBefore = accepted.length;
      await cluster.redis.stop();
      const down: Answer[] = [];
      for (let i = 0; i < 4; i++) {
        const n = notification();
        const answer = await post(cluster.replicas[i % 2]!, n.body);
        if (answer.status === 200) accepted.push(n.id);
        down.push(answer);
      }
      await cluster.redis.restart();
      await stream(4000);

      const named = () => new Set(channelState(cluster.emulator.messages).named);
      await settle(cluster.emulator, () => accepted.every((id) => named().has(id)), {
        quietMs: 3000,
        timeoutMs: 30_000,
      });
      expect(acceptedBefore, 'notifications accepted before the restart').toBeGreaterThan(0);
      expect.soft(accepted.length, 'notifications accepted after the restart').toBeGreaterThan(acceptedBefore);
      expect
        .soft(
          down.map((a) => a.status),
          'answers while Redis was down',
        )
        .toEqual(down.map(() => 503));
      expect
        .soft(
          down.filter((a) => a.status === 503 && !/^\d+$/.test(a.retryAfter ?? '')),
          '503s without a Retry-After in seconds',
        )
        .toEqual([]);
      const lost = accepted.filter((id) => !named().has(id));
      expect(lost, `${lost.length} of ${accepted.length} notifications answered 200 never reached Discord`).toEqual([]);
    } finally {
      await cluster.close();
    }
  }, 90_000);
});
