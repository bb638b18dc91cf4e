import type { Alert, Notification } from '../alertmanager/payload.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { Alarm } from './alarm.js';
import { subNotification } from './sub-notification.js';

/** When delivery cannot take released alerts (queue full), try again this much later. */
export const RETRY_RELEASE_MS = 30_000;

export interface HeldAlertsDeps {
  clock: Clock;
  log: Logger;
  /** Enqueues for the target named; false when delivery cannot take it now. */
  send: (n: Notification, target: string) => boolean;
  onSize?: (size: number) => void;
}

interface Held {
  target: string;
  /** The notification the alert came in: group identity for the message sent later. */
  frame: Notification;
  alert: Alert;
  releaseAt: number;
}

const keyOf = (target: string, groupKey: string, fingerprint: string) =>
  `${target}\u0000${groupKey}\u0000${fingerprint}`;

/**
 * Alerts that arrived outside a target's active hours with `outside: hold`, kept in memory
 * until the window opens, then sent as one message per target and group. A newer state of
 * the same alert replaces the held one; a firing alert that resolves before the window
 * opens is never sent.
 */
export class HeldAlerts {
  readonly #held = new Map<string, Held>();
  readonly #alarm: Alarm;

  constructor(private readonly deps: HeldAlertsDeps) {
    this.#alarm = new Alarm(deps.clock, () => this.#release());
  }

  get size(): number {
    return this.#held.size;
  }

  hold(target: string, frame: Notification, alert: Alert, releaseAt: number): void {
    this.#held.set(keyOf(target, frame.groupKey, alert.fingerprint), { target, frame, alert, releaseAt });
    this.deps.onSize?.(this.#held.size);
    this.#alarm.set(releaseAt);
  }

  /** Forgets a held alert (its resolution arrived); true when there was one. */
  cancel(target: string, groupKey: string, fingerprint: string): boolean {
    const found = this.#held.delete(keyOf(target, groupKey, fingerprint));
    if (found) this.deps.onSize?.(this.#held.size);
    return found;
  }

  /** Stops the timer; what was still held is returned (to be logged: it is forgotten). */
  stop(): { target: string; groupKey: string; fingerprint: string; status: string }[] {
    this.#alarm.stop();
    return [...this.#held.values()].map((h) => ({
      target: h.target,
      groupKey: h.frame.groupKey,
      fingerprint: h.alert.fingerprint,
      status: h.alert.status,
    }));
  }

  #release(): void {
    const now = this.deps.clock.now();
    const due = new Map<string, Held[]>();
    for (const [key, h] of this.#held) {
      if (h.releaseAt > now) continue;
      this.#held.delete(key);
      const group = `${h.target}\u0000${h.frame.groupKey}`;
      due.set(group, [...(due.get(group) ?? []), h]);
    }
    for (const items of due.values()) {
      const latest = items[items.length - 1]!.frame;
      const target = items[0]!.target;
      const n = subNotification(
        latest,
        items.map((h) => h.alert),
      );
      if (this.deps.send(n, target)) {
        this.deps.log.info(
          { target, groupKey: latest.groupKey, alerts: items.length },
          'active hours began: held alerts sent',
        );
        continue;
      }
      for (const h of items) {
        this.#held.set(keyOf(h.target, h.frame.groupKey, h.alert.fingerprint), {
          ...h,
          releaseAt: now + RETRY_RELEASE_MS,
        });
      }
    }
    this.deps.onSize?.(this.#held.size);
    let next = Infinity;
    for (const h of this.#held.values()) next = Math.min(next, h.releaseAt);
    if (Number.isFinite(next)) this.#alarm.set(next);
  }
}
