import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Notification } from '../alertmanager/payload.js';
import { Alarm } from '../shared/alarm.js';
import type { GroupFrame, KeptAlert, Usage } from './kept-alert.js';
import { notificationOf } from './sub-notification.js';

/** When delivery cannot take released alerts (queue full), try again this much later. */
export const RETRY_RELEASE_MS = 30_000;

export interface HeldAlertsDeps {
  clock: Clock;
  log: Logger;
  /** Enqueues for the target named; false when delivery cannot take it now. */
  send: (n: Notification, target: string) => boolean;
  onChange?: (usage: Usage) => void;
}

interface Held extends KeptAlert {
  target: string;
  releaseAt: number;
}

const keyOf = (target: string, groupKey: string, fingerprint: string) =>
  `${target}\u0000${groupKey}\u0000${fingerprint}`;

/**
 * Alerts that arrived outside a target's active hours with `outside: hold`, kept in memory
 * (in their compact form) until the window opens, then sent as one message per target and
 * group. A newer state of the same alert replaces the held one; a firing alert that resolves
 * before the window opens is never sent. What is held counts against the delivery queue's
 * limits: the router asks for room before holding more.
 */
export class HeldAlerts {
  readonly #held = new Map<string, Held>();
  readonly #alarm: Alarm;
  #bytes = 0;

  constructor(private readonly deps: HeldAlertsDeps) {
    this.#alarm = new Alarm(deps.clock, () => this.#release());
  }

  get size(): number {
    return this.#held.size;
  }

  get usage(): Usage {
    return { entries: this.#held.size, bytes: this.#bytes };
  }

  /** How much holding this alert would add to the usage (a replaced state gives its share back). */
  growth(target: string, kept: KeptAlert): Usage {
    const before = this.#held.get(keyOf(target, kept.frame.groupKey, kept.alert.fingerprint));
    return { entries: before ? 0 : 1, bytes: kept.bytes - (before?.bytes ?? 0) };
  }

  hold(target: string, kept: KeptAlert, releaseAt: number): void {
    this.#set({ ...kept, target, releaseAt });
    this.#changed();
    this.#alarm.set(releaseAt);
  }

  /** Forgets a held alert (its resolution arrived); true when there was one. */
  cancel(target: string, groupKey: string, fingerprint: string): boolean {
    const found = this.#delete(keyOf(target, groupKey, fingerprint));
    if (found) this.#changed();
    return found;
  }

  /** Stops the timer and empties the store; what was still held is returned, one notification per target and group. */
  stop(): { target: string; notification: Notification }[] {
    this.#alarm.stop();
    const out = [...this.#byGroup(() => true)].map((items) => ({
      target: items[0]!.target,
      notification: notificationOf(
        items[items.length - 1]!.frame,
        items.map((h) => h.alert),
      ),
    }));
    this.#changed();
    return out;
  }

  /** Takes out the held alerts that pass, grouped by target and group. */
  #byGroup(take: (h: Held) => boolean): Iterable<Held[]> {
    const groups = new Map<string, Held[]>();
    for (const [key, h] of this.#held) {
      if (!take(h)) continue;
      this.#delete(key);
      const group = `${h.target}\u0000${h.frame.groupKey}`;
      let items = groups.get(group);
      if (!items) groups.set(group, (items = []));
      items.push(h);
    }
    return groups.values();
  }

  #set(h: Held): void {
    const key = keyOf(h.target, h.frame.groupKey, h.alert.fingerprint);
    this.#delete(key);
    this.#held.set(key, h);
    this.#bytes += h.bytes;
  }

  #delete(key: string): boolean {
    const h = this.#held.get(key);
    if (!h) return false;
    this.#held.delete(key);
    this.#bytes -= h.bytes;
    return true;
  }

  #changed(): void {
    this.deps.onChange?.(this.usage);
  }

  #release(): void {
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
    this.#changed();
    let next = Infinity;
    for (const h of this.#held.values()) next = Math.min(next, h.releaseAt);
    if (Number.isFinite(next)) this.#alarm.set(next);
  }
}
