import { z } from 'zod';
import type { Logger } from '../shared/logger.js';
import type { Notification } from '../alertmanager/payload.js';
import type { StateJournal } from '../state/journal.js';
import type { JournalEntries, Restorable, RestoreCount } from '../state/restorable.js';
import type { GroupFrame, KeptAlert, Usage } from './kept-alert.js';
import { KeptAlertStore, type KeptStoreDeps } from './kept-store.js';
import { keptAlertSchema } from './kept-schemas.js';
import { notificationOf } from './sub-notification.js';

/** When delivery cannot take released alerts (queue full), try again this much later. */
export const RETRY_RELEASE_MS = 30_000;

/** Alerts held for a target's active hours: what the router holds, cancels and counts. */
export interface HeldAlerts extends Restorable {
  readonly size: number;
  readonly usage: Usage;
  /** How much holding this alert would add to the usage (a replaced state gives its share back). */
  growth(target: string, kept: KeptAlert): Usage;
  hold(target: string, kept: KeptAlert, releaseAt: number): void;
  /** Forgets a held alert (its resolution arrived); true when there was one. */
  cancel(target: string, groupKey: string, fingerprint: string): boolean;
  /** Stops the timer and empties the store; what was still held is returned, one notification per target and group. */
  stop(): { target: string; notification: Notification }[];
}

export interface HeldAlertsDeps extends KeptStoreDeps {
  log: Logger;
  /** Enqueues for the target named; false when delivery cannot take it now. */
  send: (n: Notification, target: string) => boolean;
  /** Where held alerts are recorded (space `held`), until they are sent or cancelled. */
  journal?: StateJournal;
}

interface Held extends KeptAlert {
  target: string;
  releaseAt: number;
}

const heldSchema = keptAlertSchema.extend({ target: z.string(), releaseAt: z.number() }) satisfies z.ZodType<Held>;

const keyOf = (target: string, groupKey: string, fingerprint: string) =>
  `${target}\u0000${groupKey}\u0000${fingerprint}`;

/**
 * Alerts that arrived outside a target's active hours with `outside: hold`, kept in memory
 * (in their compact form) until the window opens, then sent as one message per target and
 * group. A newer state of the same alert replaces the held one; a firing alert that resolves
 * before the window opens is never sent. What is held counts against the delivery queue's
 * limits: the router asks for room before holding more.
 */
export class InMemoryHeldAlerts extends KeptAlertStore<Held> implements HeldAlerts {
  constructor(private readonly deps: HeldAlertsDeps) {
    super(deps, { space: 'held', prefix: '' });
  }

  get size(): number {
    return this.usage.entries;
  }

  growth(target: string, kept: KeptAlert): Usage {
    const before = this.kept(keyOf(target, kept.frame.groupKey, kept.alert.fingerprint));
    return { entries: before ? 0 : 1, bytes: kept.bytes - (before?.bytes ?? 0) };
  }

  hold(target: string, kept: KeptAlert, releaseAt: number): void {
    this.#set({ ...kept, target, releaseAt });
    this.changed();
    this.wakeAt(releaseAt);
  }

  cancel(target: string, groupKey: string, fingerprint: string): boolean {
    const found = this.drop(keyOf(target, groupKey, fingerprint));
    if (found) this.changed();
    return found;
  }

  stop(): { target: string; notification: Notification }[] {
    this.stopAlarm();
    const out = [...this.#byGroup(() => true)].map((items) => ({
      target: items[0]!.target,
      notification: notificationOf(
        items[items.length - 1]!.frame,
        items.map((h) => h.alert),
      ),
    }));
    this.changed();
    return out;
  }

  /** Takes back what was held, and sets the timer: alerts whose window opened meanwhile go at once. */
  restore(entries: JournalEntries): RestoreCount {
    let dropped = 0;
    for (const [, raw] of entries) {
      const h = heldSchema.safeParse(raw);
      if (h.success) this.keepRestored(keyOf(h.data.target, h.data.frame.groupKey, h.data.alert.fingerprint), h.data);
      else dropped += 1;
    }
    this.changed();
    this.wakeAtEarliest((h) => h.releaseAt);
    return { restored: entries.length - dropped, dropped };
  }

  /** Takes out the held alerts that pass, grouped by target and group. */
  #byGroup(take: (h: Held) => boolean): Iterable<Held[]> {
    const groups = new Map<string, Held[]>();
    for (const [key, h] of [...this.keptEntries()]) {
      if (!take(h)) continue;
      this.drop(key);
      const group = `${h.target}\u0000${h.frame.groupKey}`;
      let items = groups.get(group);
      if (!items) groups.set(group, (items = []));
      items.push(h);
    }
    return groups.values();
  }

  #set(h: Held): void {
    this.keep(keyOf(h.target, h.frame.groupKey, h.alert.fingerprint), h);
  }

  protected ring(): void {
    const now = this.deps.clock.now();
    // Taken out before they are sent: the queue's room check must not count them twice.
    const due = [...this.#byGroup((h) => h.releaseAt <= now)];
    for (const items of due) {
      const frame: GroupFrame = items[items.length - 1]!.frame;
      const target = items[0]!.target;
      const n = notificationOf(
        frame,
        items.map((h) => h.alert),
      );
      if (this.deps.send(n, target)) {
        this.deps.log.info(
          { target, groupKey: frame.groupKey, alerts: items.length },
          'active hours began: held alerts sent',
        );
        continue;
      }
      for (const h of items) this.#set({ ...h, releaseAt: now + RETRY_RELEASE_MS });
    }
    this.changed();
    this.wakeAtEarliest((h) => h.releaseAt);
  }
}
