import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.js';
import type { RedisKeys } from './redis-keys.js';
import { encodeRecord, type IntakeRecord } from './stream-entry.js';

export type IntakeResult = { ok: true; id: string } | { ok: false; reason: 'full' | 'unavailable' };

export interface RedisIntakeOptions {
  redis: Redis;
  keys: RedisKeys;
  /** Entries the stream may hold (acked ones are deleted, so this bounds the backlog). Default 100000. */
  maxEntries?: number;
  logger?: Logger;
}

/**
 * Durable intake: a notification is in the stream before POST /alerts answers 200. A full
 * stream refuses (never trims: that would drop what another request was told is safe), and so
 * does an unreachable Redis; both are a 503 with Retry-After, and Alertmanager retries.
 */
export class RedisIntake {
  readonly #o: RedisIntakeOptions;
  readonly #max: number;

  constructor(options: RedisIntakeOptions) {
    this.#o = options;
    this.#max = options.maxEntries ?? 100_000;
  }

  async append(record: IntakeRecord): Promise<IntakeResult> {
    try {
      const id = await this.#o.redis.alertcordIntakeAppend(this.#o.keys.intake, this.#max, ...encodeRecord(record));
      return id === null ? { ok: false, reason: 'full' } : { ok: true, id };
    } catch (err) {
      this.#o.logger?.debug({ err: (err as Error).message }, 'intake append failed');
      return { ok: false, reason: 'unavailable' };
    }
  }
}
