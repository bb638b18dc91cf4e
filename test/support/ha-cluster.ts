/**
 * Several alertcord replicas sharing one real redis-server, as a Deployment with Redis runs
 * them: one config file for all (`state.redis`), each replica the built CLI in its own process,
 * a round-robin proxy in front (a Service), the Discord emulator with Discord's limits behind.
 * For the high-availability acceptance tests and `npm run bench:ha`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startEmulator, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { startRedisServer, type RedisServerHandle } from './redis-server.js';
import { startReplica, type Replica } from './replica.js';
import { startRoundRobinProxy, type BalanceMode, type RoundRobinProxy } from './round-robin-proxy.js';

/** Discord's observed limits (docs/delivery.md), as the storm benchmark uses them. */
export const DISCORD_OBSERVED_LIMITS = {
  webhook: { limit: 5, windowMs: 2000 },
  channel: { limit: 30, windowMs: 60_000 },
  global: { limit: 50, windowMs: 1000 },
} as const;

export type ClusterRole = 'dispatcher' | 'standby' | 'single';

/** The `cluster` part of `GET /api/v1/status` in the Redis-backed mode. */
export interface ClusterStatus {
  role: ClusterRole;
  leaseHolder: string | null;
  streamLength: number;
  pending: number;
}

export interface HaClusterOptions {
  replicas: number;
  /** How the proxy balances: per connection (kube-proxy) or per request (a mesh). Default 'connection'. */
  mode?: BalanceMode;
  /** Keep Redis' data in an append-only file, so a restart keeps the stream. Default false. */
  appendonly?: boolean;
  /** Merged over the replicas' config (e.g. `heartbeat`). */
  extraConfig?: Record<string, unknown>;
}

export interface HaCluster {
  redis: RedisServerHandle;
  emulator: Emulator;
  hook: WebhookHandle;
  replicas: Replica[];
  proxy: RoundRobinProxy;
  /** The config file every replica runs. */
  configFile: string;
  /** The replicas still running (not killed or stopped). */
  alive(): Replica[];
  /** Each live replica's `cluster` status; undefined where the status has none. */
  roles(): Promise<Array<{ replica: Replica; cluster: ClusterStatus | undefined }>>;
  close(): Promise<void>;
}

/** A replica's `cluster` status, or undefined when its status has no such part (or it is down). */
export async function clusterStatus(replica: Replica): Promise<ClusterStatus | undefined> {
  try {
    const res = await fetch(`${replica.url}/api/v1/status`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { cluster?: ClusterStatus };
    return body.cluster;
  } catch {
    return undefined;
  }
}

export async function startHaCluster(o: HaClusterOptions): Promise<HaCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'alertcord-ha-'));
  const started: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];
  const close = async (): Promise<void> => {
    for (const stop of started.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const redis = await startRedisServer({ appendonly: o.appendonly ?? false });
    started.push(() => redis.close());
    const emulator = await startEmulator({
      webhookLimit: DISCORD_OBSERVED_LIMITS.webhook,
      channelLimit: DISCORD_OBSERVED_LIMITS.channel,
      globalLimit: DISCORD_OBSERVED_LIMITS.global,
    });
    started.push(() => emulator.close());
    const hook = emulator.createWebhook();
    const configFile = join(dir, 'alertcord.yaml');
    const config = {
      server: { host: '127.0.0.1', port: 0 },
      // info: the replica harness waits for the 'alertcord listening' line.
      log: { level: 'info' },
      discord: { api_base_url: emulator.url },
      delivery: { drain_timeout: '1s' },
      reload: { watch: false },
      state: { redis: { url: redis.url, key_prefix: 'alertcord-ha:' } },
      targets: { storm: { webhook_url: hook.url } },
      routes: [{ targets: ['storm'] }],
      ...o.extraConfig,
    };
    await writeFile(configFile, stringify(config), 'utf8');
    // Started together, as a Deployment's pods are: the first to listen must not wait alone.
    const replicas: Replica[] = await Promise.all(
      Array.from({ length: o.replicas }, (_, i) => startReplica(`replica-${i + 1}`, configFile)),
    );
    for (const replica of replicas) started.push(() => replica.kill());
    const proxy = await startRoundRobinProxy(
      replicas.map((r) => ({ host: '127.0.0.1', port: r.port })),
      o.mode ?? 'connection',
    );
    started.push(() => proxy.close());
    const alive = () => replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    return {
      redis,
      emulator,
      hook,
      replicas,
      proxy,
      configFile,
      alive,
      roles: () => Promise.all(alive().map(async (replica) => ({ replica, cluster: await clusterStatus(replica) }))),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Waits for a live replica whose status reports `role`; undefined when none does by then
 * (today's single-process replicas report no cluster role at all).
 */
export async function replicaWithRole(
  cluster: HaCluster,
  role: ClusterRole,
  timeoutMs = 10_000,
): Promise<Replica | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await cluster.roles()).find((r) => r.cluster?.role === role);
    if (found) return found.replica;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
}
