import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../src/config/schema.js';
import { connectRedis, whenReady } from '../../../src/state/redis/redis-connection.js';
import { startService, type RunningService } from '../../../src/main.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import {
  redisTestsEnabled,
  requireRedisServer,
  startRedisServer,
  type RedisServerHandle,
} from '../../support/redis-server.js';
import { probeNotification } from '../../support/probe-notification.js';
import { eventually, testConfig } from '../../support/service.js';

interface Started {
  service: RunningService;
  printed: string[];
  lost: string[];
}

let next = 0;
function notification() {
  const id = `probe-${++next}`;
  return probeNotification('TwoServicesProbe', id, { instance: id });
}

const post = (s: Started, body: unknown) =>
  fetch(`${s.service.url}/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const cluster = async (s: Started) =>
  ((await (await fetch(`${s.service.url}/api/v1/status`)).json()) as { cluster: { role: string; pending: number } })
    .cluster;

/** Two services in this process on one redis-server: one dispatches, the other stands by. */
describe.runIf(redisTestsEnabled)('two services sharing one Redis', () => {
  let server: RedisServerHandle;
  const started: Started[] = [];

  const start = async (prefix: string, more: Partial<ConfigInput> = {}): Promise<Started> => {
    const printed: string[] = [];
    const lost: string[] = [];
    const config = testConfig({
      state: { redis: { url: server.url, key_prefix: prefix } },
      delivery: { drain_timeout: '1s' },
      targets: { t: { dry_run: true } },
      routes: [{ targets: ['t'] }],
      ...more,
    });
    const service = await startService({
      config,
      logSink: { write: () => {} },
      dryRunOut: { write: (line) => void printed.push(line) },
      onLeaseLost: (reason) => void lost.push(reason),
    });
    const s = { service, printed, lost };
    started.push(s);
    return s;
  };

  beforeAll(async () => {
    requireRedisServer();
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const s of started) await s.service.shutdown();
    await server?.close();
  });

  it('one dispatches what either takes in; the standby takes over at once when it stops', async () => {
    const a = await start('two-a:');
    await eventually(async () => expect((await cluster(a)).role).toBe('dispatcher'));
    const b = await start('two-a:');
    await eventually(async () => expect((await cluster(b)).role).toBe('standby'));

    const first = notification();
    const answer = await post(b, first.body);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { status: string }).status).toBe('stored');
    await eventually(() => expect(a.printed.join('\n')).toContain(first.id));
    expect(b.printed.join('\n')).not.toContain(first.id);
    // Acked once delivered: nothing stays pending.
    await eventually(async () => expect((await cluster(b)).pending).toBe(0), 5_000, 200);

    await a.service.shutdown();
    await eventually(async () => expect((await cluster(b)).role).toBe('dispatcher'), 3_000, 100);
    const second = notification();
    expect((await post(b, second.body)).status).toBe(200);
    await eventually(() => expect(b.printed.join('\n')).toContain(second.id));
    expect(a.lost).toEqual([]);
  }, 30_000);

  it('the new dispatcher counts what the channel took under the old one: no 429 for it', async () => {
    const windowMs = 3000;
    const emulator: Emulator = await startEmulator({ channelLimit: { limit: 3, windowMs } });
    try {
      const webhook = emulator.createWebhook({ channelId: '733000000000000042' });
      const more: Partial<ConfigInput> = {
        discord: { api_base_url: emulator.url },
        rate_limit: { channel_messages: 3, channel_window: `${windowMs}ms`, critical_reserve: 0 },
        targets: { t: { webhook_url: webhook.url } },
      };
      const a = await start('two-c:', more);
      await eventually(async () => expect((await cluster(a)).role).toBe('dispatcher'));
      const b = await start('two-c:', more);
      // A uses up the channel's window.
      for (let i = 0; i < 3; i++) expect((await post(a, notification().body)).status).toBe(200);
      await eventually(() => expect(emulator.messages).toHaveLength(3));
      await a.service.shutdown();
      await eventually(async () => expect((await cluster(b)).role).toBe('dispatcher'), 3_000, 50);
      const takenOver = Date.now();

      for (let i = 0; i < 2; i++) expect((await post(b, notification().body)).status).toBe(200);
      await eventually(() => expect(emulator.messages).toHaveLength(5), 2 * windowMs + 5_000, 50);
      // B took over inside A's window, so it had to wait for the window rather than meet Discord's 429.
      expect(takenOver - emulator.messages[0]!.createdAt).toBeLessThan(windowMs);
      expect(emulator.requests.filter((r) => r.status === 429).map((r) => r.scope)).toEqual([]);
    } finally {
      await emulator.close();
    }
  }, 30_000);

  it('a dispatcher whose lease is taken from it is told so and stands by', async () => {
    const a = await start('two-b:');
    await eventually(async () => expect((await cluster(a)).role).toBe('dispatcher'));
    const redis = connectRedis(server.url, { name: 'thief' });
    try {
      await whenReady(redis, 5_000);
      // Another holder's value: the next renewal is refused.
      await redis.set('two-b:dispatcher:lease', '999999|someone-else', 'PX', 600);
      await eventually(() => expect(a.lost).toEqual(['refused']), 5_000, 50);
      expect((await cluster(a)).role).toBe('standby');
    } finally {
      redis.disconnect();
    }
  }, 30_000);
});
