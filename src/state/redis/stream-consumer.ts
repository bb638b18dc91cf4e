import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.js';
import { watchConnection, whenReady } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { decodeEntry, type StreamEntry } from './stream-entry.js';

export interface StreamConsumerOptions {
  /** For claims, acks and counts; blocking reads get a connection of their own. */
  redis: Redis;
  keys: RedisKeys;
  /** This process in the consumer group (pod name). */
  consumer: string;
  /** Default "dispatcher". */
  group?: string;
  /** How long one read waits for new entries; default 1000 ms. */
  blockMs?: number;
  /** Entries per read or claim; default 100. */
  count?: number;
  logger?: Logger;
}

/**
 * The dispatcher's side of the intake stream, as one consumer of a consumer group. On taking
 * over it first claims every entry the group has delivered but not had acked (whichever
 * consumer read it: the old dispatcher is fenced), then reads new ones. An acked entry is also
 * deleted, so the stream's length is the backlog and intake's bound holds.
 */
export class StreamConsumer {
  readonly #o: Required<Omit<StreamConsumerOptions, 'logger'>> & StreamConsumerOptions;
  #reader: Redis | undefined;

  constructor(options: StreamConsumerOptions) {
    this.#o = { group: 'dispatcher', blockMs: 1_000, count: 100, ...options };
  }

  /** Creates the group (and the stream) if missing, from the stream's start, and the reader; rejects when Redis is down. */
  async start(): Promise<void> {
    const { redis, keys, group } = this.#o;
    try {
      await redis.xgroup('CREATE', keys.intake, group, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err as Error).message.startsWith('BUSYGROUP')) throw err;
    }
    if (this.#reader) return;
    const reader = redis.duplicate({
      commandTimeout: this.#o.blockMs + 1_000,
      connectionName: `alertcord-${this.#o.consumer}-reader`,
    });
    watchConnection(reader, 'stream reader', `${reader.options.host}:${reader.options.port}`, this.#o.logger);
    this.#reader = reader;
    await whenReady(reader, 5_000);
  }

  /** Every entry read but not acked by any consumer of the group, now this consumer's. */
  async claimPending(): Promise<StreamEntry[]> {
    const { redis, keys, group, consumer, count } = this.#o;
    const out: StreamEntry[] = [];
    let cursor = '0-0';
    do {
      const reply = (await redis.xautoclaim(keys.intake, group, consumer, 0, cursor, 'COUNT', count)) as [
        string,
        RawEntry[],
      ];
      cursor = reply[0];
      out.push(...(await this.#decode(reply[1])));
    } while (cursor !== '0-0');
    return out;
  }

  /** New entries, waiting up to blockMs for some; [] when none came. Rejects while Redis is unreachable. */
  async read(): Promise<StreamEntry[]> {
    const { keys, group, consumer, count, blockMs } = this.#o;
    const reader = this.#reader;
    if (reader === undefined) throw new Error('StreamConsumer.start() first');
    // Reconnecting (no offline queue): wait a read's time for it rather than fail at once.
    if (reader.status !== 'ready') await whenReady(reader, blockMs);
    const reply = (await reader.xreadgroup(
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      keys.intake,
      '>',
    )) as [string, RawEntry[]][] | null;
    return reply === null ? [] : this.#decode(reply[0]?.[1] ?? []);
  }

  /** Done with an entry: XACK and XDEL in one transaction. */
  async ack(id: string): Promise<void> {
    const { redis, keys, group } = this.#o;
    const results = await redis.multi().xack(keys.intake, group, id).xdel(keys.intake, id).exec();
    const failed = results?.find(([err]) => err !== null)?.[0];
    if (results === null || failed) throw failed ?? new Error('ack transaction aborted');
  }

  /** Entries in the stream: not yet acked, read or not. */
  streamLength(): Promise<number> {
    return this.#o.redis.xlen(this.#o.keys.intake);
  }

  /** Entries read by some consumer and not yet acked. */
  async pending(): Promise<number> {
    const { redis, keys, group } = this.#o;
    try {
      const [count] = (await redis.xpending(keys.intake, group)) as [number, ...unknown[]];
      return count;
    } catch (err) {
      if ((err as Error).message.startsWith('NOGROUP')) return 0;
      throw err;
    }
  }

  /** Closes the reader; a read waiting on it rejects. */
  close(): void {
    this.#reader?.disconnect();
    this.#reader = undefined;
  }

  /** Entries intake did not write (or deleted under us) are acked away: they would stay pending forever. */
  async #decode(raw: RawEntry[]): Promise<StreamEntry[]> {
    const out: StreamEntry[] = [];
    for (const [id, fields] of raw) {
      const entry = fields === null ? undefined : decodeEntry(id, fields);
      if (entry) out.push(entry);
      else {
        this.#o.logger?.warn({ stream: { id } }, 'dropping a stream entry intake did not write');
        await this.ack(id);
      }
    }
    return out;
  }
}

type RawEntry = [id: string, fields: string[] | null];
