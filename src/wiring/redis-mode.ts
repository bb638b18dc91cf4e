import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Notification } from '../alertmanager/payload.js';
import type { RedisSettings } from '../config/redis-settings.js';
import type { MessageSink } from '../discord/client.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Router } from '../routing/router.js';
import type { ClusterStatus } from '../server/status.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { noJournal, type StateSpace } from '../state/journal.js';
import { restoreFrom, type Restorable } from '../state/restorable.js';
import { Lease, type LeaseGrant, type LeaseLossReason } from '../state/redis/lease.js';
import { connectRedis, whenReady } from '../state/redis/redis-connection.js';
import { RedisIntake } from '../state/redis/redis-intake.js';
import { RedisJournal } from '../state/redis/redis-journal.js';
import { redisKeys } from '../state/redis/redis-keys.js';
import { StreamConsumer } from '../state/redis/stream-consumer.js';
import { SwitchableJournal } from '../state/switchable-journal.js';
import { Dispatcher, type DispatcherDeps } from './dispatcher.js';
import type { HeartbeatWatch } from './heartbeat-watch.js';
import { leaseGuardedSink } from './lease-guarded-sink.js';
import { StreamIntake } from './stream-intake.js';

/** What the dispatcher needs of the pipeline built around it. */
export interface DispatchParts {
  router: Router;
  jobs: DispatcherDeps['jobs'];
  /** The stores a new dispatcher restores before it reads the stream. */
  stores: Partial<Record<StateSpace, Restorable>>;
  /** Built when this process becomes the dispatcher: a standby never raises "pipeline silent". */
  armHeartbeat: () => HeartbeatWatch | undefined;
  /** The lease was lost (or a write fenced): this process must not send again. */
  onLeaseLost: (reason: LeaseLossReason | 'fenced') => void;
}

const POLL_MS = 1_000;

/** The default when the lease is lost: exit non-zero, and the platform restarts this replica as a standby. */
export function exitOnLeaseLost(log: Logger): (reason: string) => void {
  return (reason) => {
    log.error({ lease: { reason } }, 'dispatcher lease lost: exiting so that no message is sent twice');
    process.exit(1);
  };
}

/**
 * The Redis-backed mode of one replica: intake appends to the shared stream; one replica at a
 * time holds the lease and dispatches, its stores journaled in Redis under its fence; the
 * others stand by and campaign for the lease.
 */
export class RedisMode {
  readonly intake: StreamIntake;
  /** What the stores hold for the whole process: the current tenure's journal, or nothing. */
  readonly journal = new SwitchableJournal();
  readonly #redis: Redis;
  readonly #leaseRedis: Redis;
  readonly #keys;
  readonly #lease: Lease;
  readonly #consumer: StreamConsumer;
  readonly #holder = `${hostname()}:${process.pid}`;
  #parts: DispatchParts | undefined;
  #tenure: { journal: RedisJournal; dispatcher: Dispatcher | undefined } | undefined;
  #heartbeat: HeartbeatWatch | undefined;
  #replaying = false;
  #polled: Omit<ClusterStatus, 'role'> = { leaseHolder: null, streamLength: 0, pending: 0 };
  #poller: NodeJS.Timeout | undefined;

  constructor(
    settings: RedisSettings,
    private readonly deps: { log: Logger; metrics: Metrics; clock: Clock },
  ) {
    const logger = deps.log;
    this.#redis = connectRedis(settings.url, { name: 'state', logger });
    this.#leaseRedis = connectRedis(settings.url, { name: 'lease', logger });
    this.#keys = redisKeys(settings.keyPrefix);
    this.#lease = new Lease({ redis: this.#leaseRedis, keys: this.#keys, holder: this.#holder, logger });
    this.#consumer = new StreamConsumer({ redis: this.#redis, keys: this.#keys, consumer: this.#holder, logger });
    this.intake = new StreamIntake(new RedisIntake({ redis: this.#redis, keys: this.#keys, logger }));
    this.#setRole('standby');
  }

  /** Whether a stream entry is being replayed: deduplication stands aside for it. */
  get replaying(): boolean {
    return this.#replaying;
  }

  get heartbeat(): HeartbeatWatch | undefined {
    return this.#heartbeat;
  }

  /** Every request to Discord first checks that this process holds the lease. */
  guard(sink: MessageSink): MessageSink {
    return leaseGuardedSink(sink, () => this.#lease.holds());
  }

  /** Waits a little for Redis (intake answers 503 until it is there), then campaigns for the lease. */
  async start(parts: DispatchParts): Promise<void> {
    this.#parts = parts;
    await whenReady(this.#redis, 2_000).catch(() =>
      this.deps.log.warn('redis not reachable at start: intake answers 503 until it is'),
    );
    this.#lease.on('acquired', (grant) => void this.#begin(grant));
    this.#lease.on('lost', (_grant, reason) => this.#lose(reason));
    this.#lease.start();
    this.#poller = setInterval(() => void this.#poll(), POLL_MS);
    void this.#poll();
  }

  status(): ClusterStatus {
    return { role: this.#tenure ? 'dispatcher' : 'standby', ...this.#polled };
  }

  /** Shutdown, first step: no more entries read (what was read goes on being delivered). */
  async stopDispatching(): Promise<void> {
    await this.#tenure?.dispatcher?.stopReading();
  }

  /** Shutdown, after the drain: acks what was delivered, stops journaling, releases the lease at once. */
  async handOver(): Promise<void> {
    const tenure = this.#tenure;
    if (tenure?.dispatcher) await tenure.dispatcher.acks.settle().catch(() => 0);
    this.#endTenure();
    await this.#lease.stop();
  }

  async close(): Promise<void> {
    clearInterval(this.#poller);
    await this.#lease.stop();
    this.#consumer.close();
    this.#redis.disconnect();
    this.#leaseRedis.disconnect();
  }

  async #begin(grant: LeaseGrant): Promise<void> {
    const parts = this.#parts;
    if (!parts) return;
    const { log, metrics, clock } = this.deps;
    metrics.leaseChanges.inc();
    const journal = new RedisJournal({
      redis: this.#redis,
      keys: this.#keys,
      fence: grant.fence,
      onFenced: () => this.#lose('fenced'),
      logger: log,
    });
    this.#tenure = { journal, dispatcher: undefined };
    this.#setRole('dispatcher');
    this.#heartbeat = parts.armHeartbeat();
    const stores = { ...parts.stores, ...(this.#heartbeat ? { heartbeat: this.#heartbeat.heartbeat } : {}) };
    try {
      const counts = await restoreFrom(journal, stores, clock.now());
      log.info({ restored: counts }, 'dispatching: state restored from redis');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'could not restore the shared state: giving the lease up');
      return this.#lose('unreachable');
    }
    if (this.#tenure?.journal !== journal) return;
    this.journal.switchTo(journal);
    const dispatcher = new Dispatcher({
      consumer: this.#consumer,
      jobs: parts.jobs,
      route: (n, path, replay) => this.#route(parts, n, path, replay),
      flush: () => journal.flush(),
      log,
    });
    this.#tenure.dispatcher = dispatcher;
    dispatcher.start();
  }

  #route(parts: DispatchParts, received: Notification, path: string | undefined, replay: boolean) {
    const n = this.#heartbeat ? this.#heartbeat.heartbeat.observe(received) : received;
    if (!n) return undefined;
    this.#replaying = replay;
    try {
      return parts.router.receive(n, path);
    } finally {
      this.#replaying = false;
    }
  }

  #lose(reason: LeaseLossReason | 'fenced'): void {
    if (!this.#tenure) return;
    this.deps.metrics.leaseChanges.inc();
    void this.#tenure.dispatcher?.stopReading();
    this.#endTenure();
    void this.#heartbeat?.heartbeat.stop();
    this.#parts?.onLeaseLost(reason);
  }

  #endTenure(): void {
    const tenure = this.#tenure;
    if (!tenure) return;
    this.#tenure = undefined;
    this.journal.switchTo(noJournal);
    tenure.journal.close();
    this.#setRole('standby');
  }

  #setRole(role: ClusterStatus['role']): void {
    for (const r of ['dispatcher', 'standby', 'single'] as const)
      this.deps.metrics.clusterRole.set({ role: r }, r === role ? 1 : 0);
  }

  async #poll(): Promise<void> {
    try {
      const [holder, streamLength, pending] = await Promise.all([
        this.#lease.holder(),
        this.#consumer.streamLength(),
        this.#consumer.pending(),
      ]);
      this.#polled = { leaseHolder: holder?.holder ?? null, streamLength, pending };
      this.deps.metrics.streamLength.set(streamLength);
      this.deps.metrics.streamPending.set(pending);
    } catch {
      // Redis unreachable: the last figures stay; the connection logs it once.
    }
  }
}
