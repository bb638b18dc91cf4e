import { z } from 'zod';
import type { Notification } from '../alertmanager/payload.js';
import { humanDuration } from '../render/durations.js';
import type { Logger } from '../shared/logger.js';
import type { StateJournal } from '../state/journal.js';
import type { JournalEntries, Restorable, RestoreCount } from '../state/restorable.js';
import type { Escalation } from '../config/escalation-schema.js';
import { RETRY_RELEASE_MS } from './held-alerts.js';
import type { KeptAlert, Usage } from './kept-alert.js';
import { KeptAlertStore, type KeptStoreDeps } from './kept-store.js';
import { keptAlertSchema } from './kept-schemas.js';
import { notificationOf } from './sub-notification.js';

/** Finished chains remembered so that Alertmanager's repeats of the alert do not restart them. */
const FINISHED_MEMORY = 10_000;

/** Escalation timers: what the router arms, resolves and counts. */
export interface Escalations extends Restorable {
  /** Alerts with an escalation step still to come. */
  readonly pending: number;
  readonly usage: Usage;
  /** How much arming this alert would add to the usage. */
  growth(routeId: string, kept: KeptAlert): Usage;
  /** A firing alert seen on a route with a chain: starts it, or refreshes the alert's state. */
  arm(routeId: string, escalation: Escalation, kept: KeptAlert): void;
  /** The alert resolved: no further escalation for it, on any route. */
  resolve(fingerprint: string): void;
  /** Stops the timers; returns how many were pending. */
  stop(): number;
}

export interface EscalationsDeps extends KeptStoreDeps {
  log: Logger;
  /** Enqueues for the targets named, with the note; false when delivery cannot take it now. */
  send: (n: Notification, targets: readonly string[], note: string) => boolean;
  /** Where armed chains and finished episodes are recorded (space `escalations`). */
  journal?: StateJournal;
}

interface Armed extends KeptAlert {
  routeId: string;
  escalation: Escalation;
  firstSeen: number;
  /** Index of the next step to fire. */
  next: number;
  retryAt?: number | undefined;
}

const armedSchema = keptAlertSchema.extend({
  routeId: z.string(),
  escalation: z.object({
    severities: z.array(z.string()),
    steps: z.array(z.object({ after: z.number().positive(), targets: z.array(z.string()).min(1) })).min(1),
  }),
  firstSeen: z.number(),
  next: z.number().int().nonnegative(),
  retryAt: z.number().optional(),
}) satisfies z.ZodType<Armed>;

// Journal keys: an armed chain, or a finished episode (its value is `true`).
const ARMED = 'armed:';
const FINISHED = 'finished:';

export const escalationNote = (after: number) => `⏫ Escalated: still firing after ${humanDuration(after)}.`;

const keyOf = (routeId: string, fingerprint: string) => `${routeId}\u0000${fingerprint}`;
/** One firing episode of the alert on a route: a new startsAt is a new episode. */
const episodeOf = (routeId: string, k: KeptAlert) => `${keyOf(routeId, k.alert.fingerprint)}\u0000${k.alert.startsAt}`;

/**
 * Escalation timers, in memory: an alert that arms a route's chain and is still firing when a
 * step is due is posted to that step's targets. A resolution cancels the chain; after its
 * last step the entry is freed, and only the episode's identity is remembered. Entries count
 * against the delivery queue's limits: the router asks for room before arming more. Without
 * a shared journal a restart forgets the timers; Alertmanager re-sends firing alerts at its
 * repeat_interval, which arms them again from that moment.
 */
export class InMemoryEscalations extends KeptAlertStore<Armed> implements Escalations {
  /** Route ids armed per fingerprint, so a resolution finds its entries without a scan. */
  readonly #routes = new Map<string, Set<string>>();
  readonly #finished = new Set<string>();

  constructor(private readonly deps: EscalationsDeps) {
    super(deps, { space: 'escalations', prefix: ARMED });
  }

  get pending(): number {
    return this.usage.entries;
  }

  growth(routeId: string, kept: KeptAlert): Usage {
    const before = this.kept(keyOf(routeId, kept.alert.fingerprint));
    if (before) return { entries: 0, bytes: kept.bytes - before.bytes };
    return this.#finished.has(episodeOf(routeId, kept)) ? { entries: 0, bytes: 0 } : { entries: 1, bytes: kept.bytes };
  }

  arm(routeId: string, escalation: Escalation, kept: KeptAlert): void {
    const key = keyOf(routeId, kept.alert.fingerprint);
    const existing = this.kept(key);
    if (existing) {
      this.keep(key, { ...existing, ...kept });
      this.changed();
      return;
    }
    if (this.#finished.has(episodeOf(routeId, kept))) return;
    const firstSeen = this.deps.clock.now();
    this.#track(key, { ...kept, routeId, escalation, firstSeen, next: 0 });
    this.changed();
    this.wakeAt(firstSeen + escalation.steps[0]!.after);
  }

  resolve(fingerprint: string): void {
    const routes = this.#routes.get(fingerprint);
    if (!routes) return;
    for (const routeId of [...routes]) this.#free(keyOf(routeId, fingerprint));
    this.changed();
  }

  stop(): number {
    this.stopAlarm();
    return this.pending;
  }

  /**
   * Takes back the armed chains and finished episodes, and sets the timer: steps that came due
   * meanwhile fire at once; a chain that finished is not restarted by a repeat of its alert.
   */
  restore(entries: JournalEntries): RestoreCount {
    let dropped = 0;
    for (const [key, raw] of entries) {
      const armed = key.startsWith(ARMED) ? armedSchema.safeParse(raw) : undefined;
      if (armed?.success) this.#track(key.slice(ARMED.length), armed.data, true);
      else if (key.startsWith(FINISHED) && raw === true) this.#remember(key.slice(FINISHED.length), true);
      else dropped += 1;
    }
    this.changed();
    this.wakeAtEarliest((a) => this.#dueAt(a));
    return { restored: entries.length - dropped, dropped };
  }

  #track(key: string, a: Armed, restored = false): void {
    if (restored) this.keepRestored(key, a);
    else this.keep(key, a);
    let routes = this.#routes.get(a.alert.fingerprint);
    if (!routes) this.#routes.set(a.alert.fingerprint, (routes = new Set()));
    routes.add(a.routeId);
  }

  #free(key: string): void {
    const a = this.kept(key);
    if (!a) return;
    this.drop(key);
    const routes = this.#routes.get(a.alert.fingerprint);
    routes?.delete(a.routeId);
    if (routes?.size === 0) this.#routes.delete(a.alert.fingerprint);
  }

  #finish(key: string, a: Armed): void {
    this.#free(key);
    this.#remember(episodeOf(a.routeId, a));
  }

  #remember(episode: string, restored = false): void {
    this.#finished.add(episode);
    if (!restored) this.journal.put('escalations', FINISHED + episode, true);
    if (this.#finished.size > FINISHED_MEMORY) {
      const [oldest] = this.#finished;
      if (oldest === undefined) return;
      this.#finished.delete(oldest);
      this.journal.remove('escalations', FINISHED + oldest);
    }
  }

  #dueAt(a: Armed): number | undefined {
    const step = a.escalation.steps[a.next];
    if (!step) return undefined;
    return Math.max(a.firstSeen + step.after, a.retryAt ?? 0);
  }

  protected ring(): void {
    const now = this.deps.clock.now();
    const due = new Map<string, [string, Armed][]>();
    for (const entry of this.keptEntries()) {
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
        if (!sent) this.keep(key, { ...a, retryAt: now + RETRY_RELEASE_MS });
        else if (a.next + 1 >= a.escalation.steps.length) this.#finish(key, a);
        else this.keep(key, { ...a, next: a.next + 1, retryAt: undefined });
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
    this.changed();
    this.wakeAtEarliest((a) => this.#dueAt(a));
  }
}
