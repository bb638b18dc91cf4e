import { parseNotification, type Notification } from '../alertmanager/payload.js';
import type { RouteResult } from '../routing/router.js';
import type { Logger } from '../shared/logger.js';
import type { StreamConsumer } from '../state/redis/stream-consumer.js';
import type { StreamEntry } from '../state/redis/stream-entry.js';
import { EntryAcks, type JobWatermark } from './entry-acks.js';

export interface DispatcherDeps {
  consumer: Pick<StreamConsumer, 'start' | 'claimPending' | 'read' | 'ack' | 'close'>;
  jobs: JobWatermark & { room(more: { entries: number; bytes: number }): boolean };
  /** The heartbeat, then routing; undefined when only the heartbeat was in it. `replay`: possibly handled before. */
  route: (n: Notification, path: string | undefined, replay: boolean) => RouteResult | undefined;
  flush: () => Promise<void>;
  log: Logger;
  /** How often settled entries are acked; default 250 ms. */
  ackEveryMs?: number;
}

const BACKOFF_MS = 200;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One tenure's reading of the intake stream: the entries the previous dispatcher left pending
 * first (replays), then new ones, each handed to the heartbeat and the router as direct intake
 * does. While delivery's queue is full it stops reading: the backlog waits in Redis.
 */
export class Dispatcher {
  readonly acks: EntryAcks;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #ackTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: DispatcherDeps) {
    this.acks = new EntryAcks({
      jobs: deps.jobs,
      flush: deps.flush,
      ack: (id) => deps.consumer.ack(id),
      log: deps.log,
    });
  }

  start(): void {
    this.#loop ??= this.#run().catch((err: unknown) =>
      this.deps.log.error({ err: (err as Error).message }, 'the dispatcher stopped reading the intake stream'),
    );
    this.#ackTimer = setInterval(() => void this.acks.settle(), this.deps.ackEveryMs ?? 250);
  }

  /** Stops reading (a read waiting on Redis is cut short) and waits for the loop to end. */
  async stopReading(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#ackTimer);
    this.deps.consumer.close();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { consumer, log } = this.deps;
    for (;;) {
      if (this.#stopping) return;
      try {
        await consumer.start();
        break;
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'cannot open the intake stream yet; retrying');
        await sleep(1_000);
      }
    }
    let claimed: StreamEntry[] = [];
    while (!this.#stopping) {
      try {
        claimed = await consumer.claimPending();
        break;
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'cannot claim pending entries yet; retrying');
        await sleep(1_000);
      }
    }
    if (claimed.length > 0) log.info({ entries: claimed.length }, 'replaying entries the last dispatcher left pending');
    for (const entry of claimed) if (!(await this.#handle(entry, true))) return;
    while (!this.#stopping) {
      await this.#untilRoom();
      let entries: StreamEntry[];
      try {
        entries = await consumer.read();
      } catch (err) {
        if (this.#stopping) return;
        log.debug({ err: (err as Error).message }, 'intake stream read failed; retrying');
        await sleep(500);
        continue;
      }
      for (const entry of entries) if (!(await this.#handle(entry, false))) return;
    }
  }

  /** Routes one entry, waiting while delivery is full; false when stopping first. */
  async #handle(entry: StreamEntry, replay: boolean): Promise<boolean> {
    const parsed = parseNotification(entry.notification);
    if (!parsed.ok) {
      this.deps.log.warn({ stream: { id: entry.id } }, 'dropping a stream entry that is no valid notification');
      this.acks.dispatched(entry.id);
      return true;
    }
    for (;;) {
      await this.#untilRoom();
      if (this.#stopping) return false;
      const result = this.deps.route(parsed.notification, entry.receiverPath, replay);
      if (result === undefined || result.ok) break;
      if (result.reason === 'shutting_down') return false;
      await sleep(BACKOFF_MS);
    }
    this.acks.dispatched(entry.id);
    return true;
  }

  async #untilRoom(): Promise<void> {
    while (!this.#stopping && !this.deps.jobs.room({ entries: 1, bytes: 0 })) await sleep(BACKOFF_MS);
  }
}
