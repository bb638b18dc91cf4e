import type { Alert, Notification } from '../alertmanager/payload.js';
import { humanDuration } from '../render/durations.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { Alarm } from './alarm.js';
import type { Escalation } from './escalation-schema.js';
import { RETRY_RELEASE_MS } from './held-alerts.js';
import { subNotification } from './sub-notification.js';

export interface EscalationsDeps {
  clock: Clock;
  log: Logger;
  /** Enqueues for the targets named, with the note; false when delivery cannot take it now. */
  send: (n: Notification, targets: readonly string[], note: string) => boolean;
  onPending?: (pending: number) => void;
  /** Bound on alerts tracked; the oldest is forgotten beyond it. */
  maxAlerts?: number;
}

interface Armed {
  routeId: string;
  escalation: Escalation;
  frame: Notification;
  alert: Alert;
  firstSeen: number;
  /** Index of the next step to fire; steps.length when the chain is done. */
  next: number;
  retryAt: number | undefined;
}

export const escalationNote = (after: number) => `⏫ Escalated: still firing after ${humanDuration(after)}.`;

/**
 * Escalation timers, in memory: an alert that arms a route's chain and is still firing when a
 * step is due is posted to that step's targets. A resolution cancels the chain. A restart
 * forgets the timers; Alertmanager re-sends firing alerts at its repeat_interval, which arms
 * them again from that moment.
 */
export class Escalations {
  readonly #armed = new Map<string, Armed>();
  readonly #alarm: Alarm;

  constructor(private readonly deps: EscalationsDeps) {
    this.#alarm = new Alarm(deps.clock, () => this.#fire());
  }

  get pending(): number {
    let n = 0;
    for (const a of this.#armed.values()) if (a.next < a.escalation.steps.length) n += 1;
    return n;
  }

  /** A firing alert seen on a route with a chain: starts it, or refreshes the alert's state. */
  arm(routeId: string, escalation: Escalation, frame: Notification, alert: Alert): void {
    const key = `${routeId}\u0000${alert.fingerprint}`;
    const existing = this.#armed.get(key);
    if (existing) {
      existing.frame = frame;
      existing.alert = alert;
      return;
    }
    const firstSeen = this.deps.clock.now();
    this.#armed.set(key, { routeId, escalation, frame, alert, firstSeen, next: 0, retryAt: undefined });
    const max = this.deps.maxAlerts ?? 10_000;
    if (this.#armed.size > max) {
      const [oldest] = this.#armed.keys();
      if (oldest !== undefined) this.#armed.delete(oldest);
      this.deps.log.warn({ max }, 'too many alerts waiting for escalation: the oldest was forgotten');
    }
    this.deps.onPending?.(this.pending);
    this.#alarm.set(firstSeen + escalation.steps[0]!.after);
  }

  /** The alert resolved: no further escalation for it, on any route. */
  resolve(fingerprint: string): void {
    let changed = false;
    for (const [key, a] of this.#armed) {
      if (a.alert.fingerprint === fingerprint) changed = this.#armed.delete(key) || changed;
    }
    if (changed) this.deps.onPending?.(this.pending);
  }

  stop(): number {
    this.#alarm.stop();
    return this.pending;
  }

  #dueAt(a: Armed): number | undefined {
    const step = a.escalation.steps[a.next];
    if (!step) return undefined;
    return Math.max(a.firstSeen + step.after, a.retryAt ?? 0);
  }

  #fire(): void {
    const now = this.deps.clock.now();
    const due = new Map<string, Armed[]>();
    for (const a of this.#armed.values()) {
      const at = this.#dueAt(a);
      if (at === undefined || at > now) continue;
      const group = `${a.routeId}\u0000${a.frame.groupKey}\u0000${a.next}`;
      due.set(group, [...(due.get(group) ?? []), a]);
    }
    for (const items of due.values()) {
      const first = items[0]!;
      const step = first.escalation.steps[first.next]!;
      const n = subNotification(
        items[items.length - 1]!.frame,
        items.map((a) => a.alert),
      );
      const sent = this.deps.send(n, step.targets, escalationNote(step.after));
      for (const a of items) {
        if (sent) {
          a.next += 1;
          a.retryAt = undefined;
        } else a.retryAt = now + RETRY_RELEASE_MS;
      }
      if (sent)
        this.deps.log.warn(
          {
            route: first.routeId,
            groupKey: n.groupKey,
            targets: step.targets,
            alerts: items.length,
            after: step.after,
          },
          'alerts still firing: escalated',
        );
    }
    this.deps.onPending?.(this.pending);
    let next = Infinity;
    for (const a of this.#armed.values()) next = Math.min(next, this.#dueAt(a) ?? Infinity);
    if (Number.isFinite(next)) this.#alarm.set(next);
  }
}
