import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.js';
import type { RedisKeys } from './redis-keys.js';

/** One tenure of the dispatcher lease. */
export interface LeaseGrant {
  /** Fencing token: grows with every acquisition, whoever acquires. */
  token: number;
  holder: string;
  /** "token|holder", the lease's value: what fenced writes (RedisJournal) compare. */
  fence: string;
}

/** Who holds the lease now, for the status. */
export interface LeaseHolder {
  holder: string;
  token: number;
  expiresInMs: number;
}

/** refused: Redis says another holds it (or it expired); unreachable: not confirmed for a whole ttl. */
export type LeaseLossReason = 'refused' | 'unreachable';

interface LeaseEvents {
  acquired: [grant: LeaseGrant];
  lost: [grant: LeaseGrant, reason: LeaseLossReason];
}

export interface LeaseOptions {
  redis: Redis;
  keys: RedisKeys;
  /** This process, as the status shows it (pod name). */
  holder: string;
  /** Default 3000 ms: renewed every ttl/3, and a standby polls as often, so failover takes at most ~4/3 ttl. */
  ttlMs?: number;
  logger?: Logger;
}

/**
 * The dispatcher lease: `SET NX PX` with a fencing token from INCR (one script, so the token
 * only grows when someone acquires). Holding, it renews by compare-and-pexpire every ttl/3;
 * a refused renewal, or none confirmed for a whole ttl (Redis unreachable, this process
 * paused), is `lost` — by then another may hold it. Not holding, it tries every ttl/3, so a
 * standby takes over within about ttl + ttl/3 of the holder's last renewal. After a loss it
 * campaigns again; a new tenure comes with a new token.
 */
export class Lease extends EventEmitter<LeaseEvents> {
  readonly ttlMs: number;
  readonly #o: LeaseOptions;
  #grant: LeaseGrant | undefined;
  /** When the last confirmed renewal (or the acquisition) was sent: the lease lasts ttl from then at least. */
  #confirmedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #tick: Promise<void> = Promise.resolve();

  constructor(options: LeaseOptions) {
    super();
    this.#o = options;
    this.ttlMs = options.ttlMs ?? 3_000;
  }

  get grant(): LeaseGrant | undefined {
    return this.#grant;
  }

  get role(): 'dispatcher' | 'standby' {
    return this.#grant ? 'dispatcher' : 'standby';
  }

  /**
   * Whether this process may act as the dispatcher right now: it holds the lease and the last
   * confirmed renewal is younger than the ttl. Checked before every send, so a process paused
   * past its lease never sends, even before its next renewal notices the loss.
   */
  holds(): boolean {
    return this.#grant !== undefined && Date.now() - this.#confirmedAt < this.ttlMs;
  }

  /** Campaigns for the lease (at once, then every ttl/3) and renews it while held. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#run();
  }

  /** Stops campaigning and renewing; a held lease is released so a standby takes over at once. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#tick;
    const grant = this.#grant;
    this.#grant = undefined;
    if (grant) await this.#o.redis.alertcordLeaseRelease(this.#o.keys.lease, grant.fence).catch(() => 0);
  }

  async holder(): Promise<LeaseHolder | undefined> {
    const { redis, keys } = this.#o;
    const [value, pttl] = await Promise.all([redis.get(keys.lease), redis.pttl(keys.lease)]);
    return value === null ? undefined : { ...parseFence(value), expiresInMs: Math.max(0, pttl) };
  }

  #run(): void {
    if (!this.#running) return;
    this.#tick = (this.#grant ? this.#renew(this.#grant) : this.#acquire()).finally(() => {
      if (this.#running) this.#timer = setTimeout(() => this.#run(), Math.max(1, Math.floor(this.ttlMs / 3)));
    });
  }

  async #acquire(): Promise<void> {
    const sentAt = Date.now();
    let fence: string | null;
    try {
      fence = await this.#o.redis.alertcordLeaseAcquire(
        this.#o.keys.lease,
        this.#o.keys.leaseToken,
        this.#o.holder,
        this.ttlMs,
      );
    } catch {
      return; // unreachable: a standby simply tries again
    }
    if (fence === null || !this.#running) return;
    const grant = { ...parseFence(fence), fence };
    this.#grant = grant;
    this.#confirmedAt = sentAt;
    this.#o.logger?.info({ lease: { token: grant.token } }, 'dispatcher lease acquired');
    this.emit('acquired', grant);
  }

  async #renew(grant: LeaseGrant): Promise<void> {
    // Checked before asking: after a pause longer than the ttl the lease may be gone already.
    if (Date.now() - this.#confirmedAt >= this.ttlMs) return this.#lose(grant, 'unreachable');
    const sentAt = Date.now();
    let renewed: number;
    try {
      renewed = await this.#o.redis.alertcordLeaseRenew(this.#o.keys.lease, grant.fence, this.ttlMs);
    } catch {
      if (Date.now() - this.#confirmedAt >= this.ttlMs) this.#lose(grant, 'unreachable');
      return;
    }
    if (renewed === 1) this.#confirmedAt = sentAt;
    else this.#lose(grant, 'refused');
  }

  #lose(grant: LeaseGrant, reason: LeaseLossReason): void {
    if (this.#grant !== grant) return;
    this.#grant = undefined;
    this.#o.logger?.warn({ lease: { token: grant.token, reason } }, 'dispatcher lease lost');
    this.emit('lost', grant, reason);
  }
}

function parseFence(fence: string): { token: number; holder: string } {
  const bar = fence.indexOf('|');
  return { token: Number(fence.slice(0, bar)), holder: fence.slice(bar + 1) };
}
