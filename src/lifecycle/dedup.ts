import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Notification } from '../alertmanager/payload.js';
import type { Clock } from '../shared/clock.js';
import { JournaledCache } from '../state/journaled-cache.js';
import { noJournal, type StateJournal } from '../state/journal.js';
import type { JournalEntries, Restorable, RestoreCount } from '../state/restorable.js';

/** Alertmanager's repeat_interval re-sends: post again, edit the group's message, or drop. */
export type RepeatPolicy = 'repost' | 'edit' | 'none';

export interface DedupOptions {
  /** Identical notifications inside this window are duplicates (HA peers, Alertmanager retries); 0 turns deduplication off. */
  windowMs: number;
  /** What to do with an identical notification after the window: Alertmanager's repeat_interval. */
  repeat: RepeatPolicy;
  maxEntries: number;
  clock: Clock;
  /** Where the remembered states are recorded (space `dedup`), with the window as their TTL. */
  journal?: StateJournal;
}

const hash = (value: unknown): string => createHash('sha1').update(JSON.stringify(value)).digest('base64');

/**
 * What makes two notifications "the same": group, status, and the set of alerts with their
 * statuses. Hashed so a 10,000-alert group costs 28 bytes of memory.
 */
export function notificationState(n: Notification): string {
  let state = states.get(n);
  if (state === undefined) {
    state = hash([n.groupKey, n.status, n.alerts.map((a) => `${a.fingerprint}:${a.status}`).sort()]);
    states.set(n, state);
  }
  return state;
}

// Asked for each target and again when the message is planned: a big group's sort and hash
// are done once. Notifications are not changed once parsed.
const states = new WeakMap<Notification, string>();

/** Which state of each (target, group) was queued last: what the deduplicating enqueue asks. */
export interface DedupMemory extends Restorable {
  isDuplicate(target: string, n: Notification): boolean;
  /** Called once the notification is queued for the target. */
  remember(target: string, n: Notification): void;
}

/**
 * Alertmanager HA peers and Alertmanager's own retries send the same notification more than
 * once; each target gets it once. The last state queued per (target, group) is remembered:
 * the same state again is a duplicate inside the window; after it, a repeat (Alertmanager's
 * repeat_interval) that is posted again, or with `repeat: none` not until the group changes.
 * A group that resolves and fires again has changed, so it is never swallowed.
 */
export class Deduplicator implements DedupMemory {
  readonly #last: JournaledCache<string>;

  constructor(private readonly o: DedupOptions) {
    this.#last = new JournaledCache({
      space: 'dedup',
      prefix: '',
      journal: o.journal ?? noJournal,
      maxEntries: o.maxEntries,
      ttlMs: o.repeat !== 'none' ? o.windowMs : undefined,
      clock: o.clock,
      schema: z.string(),
    });
  }

  isDuplicate(target: string, n: Notification): boolean {
    if (this.o.windowMs === 0) return false;
    return this.#last.get(hash([target, n.groupKey])) === notificationState(n);
  }

  remember(target: string, n: Notification): void {
    if (this.o.windowMs === 0) return;
    this.#last.set(hash([target, n.groupKey]), notificationState(n));
  }

  restore(entries: JournalEntries, now: number): RestoreCount {
    return this.#last.restore(entries, now);
  }
}
