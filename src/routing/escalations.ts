import type { Notification } from '../alertmanager/payload.js';
import { humanDuration } from '../render/durations.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { Alarm } from '../shared/alarm.js';
import type { Escalation } from '../config/escalation-schema.js';
import { RETRY_RELEASE_MS } from './held-alerts.js';
import type { KeptAlert, Usage } from './kept-alert.js';
import { notificationOf } from './sub-notification.js';

/** Finished chains remembered so that Alertmanager's repeats of the alert do not restart them. */
const FINISHED_MEMORY = 10_000;

export interface EscalationsDeps {
  clock: Clock;
  log: Logger;
  /** Enqueues for the targets named, with the note; false when delivery cannot take it now. */
  send: (n: Notification, targets: readonly string[], note: string) => boolean;
  onChange?: (usage: Usage) => void;
}

interface Armed extends KeptAlert {
  routeId: string;
  escalation: Escalation;
  firstSeen: number;
  /** Index of the next step to fire. */
  next: number;
  retryAt: number | undefined;
}

export const escalationNote = (after: number) => `⏫ Escalated: still firing after ${humanDuration(after)}.`;

const keyOf = (routeId: string, fingerprint: string) => `${routeId}\u0000${fingerprint}`;
/** One firing episode of the alert on a route: a new startsAt is a new episode. */
const episodeOf = (routeId: string, k: KeptAlert) => `${keyOf(routeId, k.alert.fingerprint)}\u0000${k.alert.startsAt}`;

/**
 * Escalation timers, in memory: an alert that arms a route's chain and is still firing when a
 * step is due is posted to that step's targets. A resolution cancels the chain; after its
 * last step the entry is freed, and only the episode's identity is remembered. Entries count
 * against the delivery queue's limits: the router asks for room before arming more. A
 * restart forgets the timers; Alertmanager re-sends firing alerts at its repeat_interval,
 * which arms them again from that moment.
 */
export class Escalations {
  readonly #armed = new Map<string, Armed>();
  /** Route ids armed per fingerprint, so a resolution finds its entries without a scan. */
  readonly #routes = new Map<string, Set<string>>();
  readonly #finished = new Set<string>();
  readonly #alarm: Alarm;
  #bytes = 0;

  constructor(private readonly deps: EscalationsDeps) {
    this.#alarm = new Alarm(deps.clock, () => this.#fire());
  }

  /** Alerts with an escalation step still to come. */
  get pending(): number {
    return this.#armed.size;
  }

  get usage(): Usage {
    return { entries: this.#armed.size, bytes: this.#bytes };
  }

  /** How much arming this alert would add to the usage. */
  growth(routeId: string, kept: KeptAlert): Usage {
    const before = this.#armed.get(keyOf(routeId, kept.alert.fingerprint));
    if (before) return { entries: 0, bytes: kept.bytes - before.bytes };
    return this.#finished.has(episodeOf(routeId, kept)) ? { entries: 0, bytes: 0 } : { entries: 1, bytes: kept.bytes };
  }

  /** A firing alert seen on a route with a chain: starts it, or refreshes the alert's state. */
  arm(routeId: string, escalation: Escalation, kept: KeptAlert): void {
    const key = keyOf(routeId, kept.alert.fingerprint);
    const existing = this.#armed.get(key);
    if (existing) {
      this.#bytes += kept.bytes - existing.bytes;
      Object.assign(existing, kept);
      this.#changed();
      return;
    }
    if (this.#finished.has(episodeOf(routeId, kept))) return;
    const firstSeen = this.deps.clock.now();
    this.#armed.set(key, { ...kept, routeId, escalation, firstSeen, next: 0, retryAt: undefined });
    this.#bytes += kept.bytes;
    let routes = this.#routes.get(kept.alert.fingerprint);
    if (!routes) this.#routes.set(kept.alert.fingerprint, (routes = new Set()));
    routes.add(routeId);
    this.#changed();
    this.#alarm.set(firstSeen + escalation.steps[0]!.after);
  }

  /** The alert resolved: no further escalation for it, on any route. */
  resolve(fingerprint: string): void {
    const routes = this.#routes.get(fingerprint);
    if (!routes) return;
    for (const routeId of [...routes]) this.#free(keyOf(routeId, fingerprint));
    this.#changed();
  }

  stop(): number {
    this.#alarm.stop();
    return this.pending;
  }

  #free(key: string): void {
    const a = this.#armed.get(key);
    if (!a) return;
    this.#armed.delete(key);
    this.#bytes -= a.bytes;
    const routes = this.#routes.get(a.alert.fingerprint);
    routes?.delete(a.routeId);
    if (routes?.size === 0) this.#routes.delete(a.alert.fingerprint);
  }

  #finish(key: string, a: Armed): void {
    this.#free(key);
    this.#finished.add(episodeOf(a.routeId, a));
    if (this.#finished.size > FINISHED_MEMORY) {
      const [oldest] = this.#finished;
      if (oldest !== undefined) this.#finished.delete(oldest);
    }
  }

  #changed(): void {
    this.deps.onChange?.(this.usage);
  }

  #dueAt(a: Armed): number | undefined {
    const step = a.escalation.steps[a.next];
    if (!step) return undefined;
    return Math.max(a.firstSeen + step.after, a.retryAt ?? 0);
  }

  #fire(): void {
    const now = this.deps.clock.now();
    const due = new Map<string, [string, Armed][]>();
    for (const entry of this.#armed) {
      const a = entry[1];
      const at = this.#dueAt(a);
      if (at === undefined || at > now) continue;
      const group = `${a.routeId}\u0000${a.frame.groupKey}\u0000${a.next}`;
      let items = due.get(group);
      if (!items) due.set(group, (items = []));
      items.push(entry);
    }
    for (const items of due.values()) {
      const first = items[0]![1];
      const step = first.escalation.steps[first.next]!;
      const n = notificationOf(
        items[items.length - 1]![1].frame,
        items.map(([, a]) => a.alert),
      );
      const sent = this.deps.send(n, step.targets, escalationNote(step.after));
      for (const [key, a] of items) {
        if (!sent) a.retryAt = now + RETRY_RELEASE_MS;
        else if (a.next + 1 >= a.escalation.steps.length) this.#finish(key, a);
        else {
          a.next += 1;
          a.retryAt = undefined;
        }
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
    this.#changed();
    let next = Infinity;
    for (const a of this.#armed.values()) next = Math.min(next, this.#dueAt(a) ?? Infinity);
    if (Number.isFinite(next)) this.#alarm.set(next);
  }
}
