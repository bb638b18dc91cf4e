import type { Notification } from '../alertmanager/payload.js';
import type { ResolvedTarget } from '../config/load.js';
import type { EnqueueOptions, EnqueueResult } from '../delivery/delivery.js';
import { MESSAGE_FLAGS } from '../discord/limits.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { StateJournal } from '../state/journal.js';
import { InMemoryEscalations, type Escalations } from './escalations.js';
import { InMemoryHeldAlerts, type HeldAlerts } from './held-alerts.js';
import { alertKeeper, type Usage } from './kept-alert.js';
import { routeAlerts, type RoutingConfig } from './route-alerts.js';
import { subNotification } from './sub-notification.js';

export interface RouterDeps {
  config: () => RoutingConfig;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  enqueue: (n: Notification, targets: readonly ResolvedTarget[], options?: EnqueueOptions) => EnqueueResult;
  /** Whether the delivery queue's budget, which held alerts and escalations share, has this much room. */
  room: (more: Usage) => boolean;
  /** Records alerts that can no longer be sent (held at shutdown) as a dead letter: kept, counted, logged. */
  deadLetter: (n: Notification, target: string, detail: string) => void;
  /** Where held alerts and escalation timers record their changes; none by default. */
  journal?: StateJournal;
}

export type RouteResult =
  { ok: true; targets: string[]; routed: boolean } | { ok: false; reason: 'queue_full' | 'shutting_down' };

/**
 * Routing with its state: applies a routing decision — queues what goes now, holds what
 * waits for active hours, arms and cancels escalations. Held alerts and escalations look
 * their targets up by name when they fire, so a reload that changes a target applies to them.
 */
export class Router {
  readonly held: HeldAlerts;
  readonly escalations: Escalations;
  #stopped = false;

  constructor(private readonly deps: RouterDeps) {
    const { clock, log, metrics } = deps;
    const journal = deps.journal ? { journal: deps.journal } : {};
    this.held = new InMemoryHeldAlerts({
      clock,
      log,
      ...journal,
      send: (n, name) => {
        const target = this.#target(name);
        return target === undefined || deps.enqueue(n, [target]).ok;
      },
      onChange: ({ entries, bytes }) => {
        metrics.heldAlerts.set(entries);
        metrics.heldAlertsBytes.set(bytes);
      },
    });
    this.escalations = new InMemoryEscalations({
      clock,
      log,
      ...journal,
      send: (n, names, note) => {
        const targets = names.map((name) => this.#target(name)).filter((t) => t !== undefined);
        const ok = targets.length === 0 || deps.enqueue(n, targets, { note }).ok;
        if (ok) for (const t of targets) metrics.escalations.inc({ target: t.name });
        return ok;
      },
      onChange: ({ entries }) => metrics.escalationsPending.set(entries),
    });
  }

  /** What held alerts and escalations keep: counted against the delivery queue's limits. */
  get usage(): Usage {
    const held = this.held.usage;
    const escalations = this.escalations.usage;
    return { entries: held.entries + escalations.entries, bytes: held.bytes + escalations.bytes };
  }

  receive(n: Notification, path: string | undefined): RouteResult {
    // Stopped timers would never release what is held now: Alertmanager must send it again.
    if (this.#stopped) return { ok: false, reason: 'shutting_down' };
    const { metrics, log } = this.deps;
    const decision = routeAlerts(this.deps.config(), n, path, this.deps.clock.now());

    // Room for what is kept for later is asked before anything is queued, so a refusal (503:
    // Alertmanager retries) neither loses the alerts nor queues part of the notification.
    const keep = alertKeeper(n);
    const more: Usage = { entries: 0, bytes: 0 };
    const add = (g: Usage) => {
      more.entries += g.entries;
      more.bytes += g.bytes;
    };
    for (const { target, alert } of decision.hold) {
      const g = this.held.growth(target.name, keep(alert));
      // A resolution of a held alert cancels it rather than taking its place.
      if (alert.status !== 'resolved' || g.entries > 0) add(g);
    }
    for (const e of decision.escalate) add(this.escalations.growth(e.routeId, keep(e.alert)));
    if ((more.entries > 0 || more.bytes > 0) && !this.deps.room(more)) return { ok: false, reason: 'queue_full' };

    // Targets that get the same alerts share one enqueue, which is all-or-nothing; when
    // targets get different subsets, a 503 after the first batch can repeat that batch
    // when Alertmanager retries, which is better than losing the rest.
    const batches = new Map<string, { n: Notification; targets: ResolvedTarget[]; silent: boolean }>();
    for (const d of decision.deliver) {
      const sub = subNotification(n, d.alerts);
      const key = sub === n ? `all:${d.silent}` : `target:${d.target.name}`;
      const batch = batches.get(key) ?? { n: sub, targets: [], silent: d.silent };
      batch.targets.push(d.target);
      batches.set(key, batch);
      if (d.silent)
        metrics.alertsOutsideActiveHours.inc({ target: d.target.name, action: 'deliver-silent' }, d.alerts.length);
    }
    for (const b of batches.values()) {
      const result = this.deps.enqueue(b.n, b.targets, b.silent ? { flags: MESSAGE_FLAGS.suppressNotifications } : {});
      if (!result.ok) return result;
    }

    for (const d of decision.deliver)
      for (const a of d.alerts) if (a.status === 'resolved') this.held.cancel(d.target.name, n.groupKey, a.fingerprint);
    for (const { target, alert, releaseAt } of decision.hold) {
      metrics.alertsOutsideActiveHours.inc({ target: target.name, action: 'hold' });
      // A resolution cancels its held firing alert; the resolution of one already posted waits too.
      if (alert.status === 'resolved' && this.held.cancel(target.name, n.groupKey, alert.fingerprint)) continue;
      this.held.hold(target.name, keep(alert), releaseAt);
    }
    for (const { target } of decision.dropped)
      metrics.alertsOutsideActiveHours.inc({ target: target.name, action: 'drop' });

    for (const a of n.alerts) if (a.status === 'resolved') this.escalations.resolve(a.fingerprint);
    for (const e of decision.escalate) this.escalations.arm(e.routeId, e.escalation, keep(e.alert));

    if (decision.unrouted.length > 0)
      log.warn(
        {
          groupKey: n.groupKey,
          receiver: n.receiver,
          alerts: decision.unrouted.map((a) => ({ fingerprint: a.fingerprint, alertname: a.labels.alertname })),
        },
        'no route matched these alerts: add a catch-all route to receive them',
      );
    const targets = [...new Set([...decision.deliver, ...decision.hold].map((d) => d.target.name))];
    return { ok: true, targets, routed: decision.unrouted.length < n.alerts.length };
  }

  /**
   * Stops the timers and refuses later notifications. Held alerts will not be sent: they are
   * dead-lettered (Alertmanager re-sends them at its repeat_interval); pending escalations
   * are forgotten, and said so. `handOver`: both stay in the shared store for the next
   * dispatcher, so nothing is dead-lettered or forgotten.
   */
  stop(handOver = false): void {
    this.#stopped = true;
    const held = this.held.stop();
    const pending = this.escalations.stop();
    if (handOver) return;
    for (const { target, notification } of held)
      this.deps.deadLetter(notification, target, 'held for active hours when alertcord shut down');
    if (pending > 0) this.deps.log.warn({ pending }, 'shutting down with escalations pending: they are forgotten');
  }

  #target(name: string): ResolvedTarget | undefined {
    const target = this.deps.config().targets.get(name);
    if (!target)
      this.deps.log.warn({ target: name }, 'target no longer in the config: its held or escalated alerts are dropped');
    return target;
  }
}
