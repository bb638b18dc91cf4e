import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Notification } from '../alertmanager/payload.js';
import type { Clock } from '../shared/clock.js';

/** Alertmanager's repeat_interval re-sends: post again, edit the group's message, or drop. */
export type RepeatPolicy = 'repost' | 'edit' | 'none';

export interface DedupOptions {
  /** Identical notifications inside this window are duplicates (HA peers, Alertmanager retries); 0 turns deduplication off. */
  windowMs: number;
  /** What to do with an identical notification after the window: Alertmanager's repeat_interval. */
  repeat: RepeatPolicy;
  maxEntries: number;
  clock: Clock;
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

/**
 * Alertmanager HA peers and Alertmanager's own retries send the same notification more than
 * once; each target gets it once. The last state queued per (target, group) is remembered:
 * the same state again is a duplicate inside the window; after it, a repeat (Alertmanager's
 * repeat_interval) that is posted again, or with `repeat: none` not until the group changes.
 * A group that resolves and fires again has changed, so it is never swallowed.
 */
export class Deduplicator {
  readonly #last: LRUCache<string, string>;

  constructor(private readonly o: DedupOptions) {
    this.#last = new LRUCache<string, string>({
      max: o.maxEntries,
      ...(o.repeat !== 'none' ? { ttl: o.windowMs } : {}),
      perf: { now: () => o.clock.now() },
      ttlResolution: 0,
    });
  }

  isDuplicate(target: string, n: Notification): boolean {
    if (this.o.windowMs === 0) return false;
    return this.#last.get(hash([target, n.groupKey])) === notificationState(n);
  }

  /** Called once the notification is queued for the target. */
  remember(target: string, n: Notification): void {
    this.#last.set(hash([target, n.groupKey]), notificationState(n));
  }
}
