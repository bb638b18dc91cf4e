import type { Alert, Notification } from '../alertmanager/payload.js';
import type { ResolvedConfig, ResolvedTarget } from '../config/load.js';
import type { RouteConfig } from '../config/schema.js';
import type { ActiveHours, OutsideAction } from '../alertmanager/active-hours.js';
import type { Escalation } from '../config/escalation-schema.js';
import { matchesAll } from '../alertmanager/matcher.js';

export type RoutingConfig = Pick<ResolvedConfig, 'routes' | 'targets'>;
export type Mode = 'deliver' | OutsideAction;

/** Least to most restrictive. */
const RESTRICTION: Record<Mode, number> = { deliver: 0, 'deliver-silent': 1, hold: 2, drop: 3 };

export interface TargetDelivery {
  target: ResolvedTarget;
  /** Only the alerts that reached this target, in the notification's order. */
  alerts: Alert[];
  /** Every alert here is outside active hours with `deliver-silent`: no push notification. */
  silent: boolean;
}

export interface RoutingDecision {
  deliver: TargetDelivery[];
  hold: { target: ResolvedTarget; alert: Alert; releaseAt: number }[];
  dropped: { target: ResolvedTarget; alert: Alert }[];
  /** Firing alerts that start (or keep) a route's escalation chain. */
  escalate: { routeId: string; escalation: Escalation; alert: Alert }[];
  /** Alerts no route matched. */
  unrouted: Alert[];
}

export const routeId = (route: RouteConfig, index: number): string => route.name ?? `routes[${index}]`;
const severityOf = (alert: Alert) => (alert.labels.severity ?? '').toLowerCase();

/**
 * Which targets get which alerts, now. Routes are evaluated in order for every alert, as
 * Alertmanager does: a route matches when its receiver, path and label matchers all match;
 * the first match wins unless it says `continue: true`. A target lists only the alerts that
 * reached it (its `severities` filter applied), and active hours — the route's and the
 * target's — decide whether they go now, silently, later or not at all. Pure.
 */
export function routeAlerts(
  config: RoutingConfig,
  n: Notification,
  path: string | undefined,
  now: number,
): RoutingDecision {
  const decision: RoutingDecision = { deliver: [], hold: [], dropped: [], escalate: [], unrouted: [] };
  const perTarget = new Map<string, { target: ResolvedTarget; alerts: { alert: Alert; mode: Mode }[] }>();

  for (const alert of n.alerts) {
    /** Per target, the least restrictive mode over every route that brought the alert there. */
    const reached = new Map<string, { target: ResolvedTarget; mode: Mode; releaseAt: number }>();
    let matched = false;
    for (const [index, route] of config.routes.entries()) {
      if (route.receiver !== undefined && route.receiver !== n.receiver) continue;
      if (route.path !== undefined && route.path !== path) continue;
      if (!matchesAll(route.matchers ?? [], alert.labels)) continue;
      matched = true;
      const severity = severityOf(alert);
      if (route.escalation && alert.status === 'firing' && route.escalation.severities.includes(severity)) {
        const routeWindow = route.active_hours ? modeIn([route.active_hours], alert, now).mode : 'deliver';
        if (routeWindow === 'deliver')
          decision.escalate.push({ routeId: routeId(route, index), escalation: route.escalation, alert });
      }
      for (const name of route.targets) {
        const target = config.targets.get(name);
        if (!target) continue;
        if (target.severities && !target.severities.some((s) => s.toLowerCase() === severity)) continue;
        const windows = [route.active_hours, target.active_hours].filter((w): w is ActiveHours => w !== undefined);
        const here = modeIn(windows, alert, now);
        const before = reached.get(name);
        if (
          !before ||
          RESTRICTION[here.mode] < RESTRICTION[before.mode] ||
          (here.mode === before.mode && here.releaseAt < before.releaseAt)
        )
          reached.set(name, { target, ...here });
      }
      if (!route.continue) break;
    }
    if (!matched) decision.unrouted.push(alert);

    for (const { target, mode, releaseAt } of reached.values()) {
      if (mode === 'hold') decision.hold.push({ target, alert, releaseAt });
      else if (mode === 'drop') decision.dropped.push({ target, alert });
      else {
        let entry = perTarget.get(target.name);
        if (!entry) perTarget.set(target.name, (entry = { target, alerts: [] }));
        entry.alerts.push({ alert, mode });
      }
    }
  }

  for (const { target, alerts } of perTarget.values()) {
    decision.deliver.push({
      target,
      alerts: alerts.map((a) => a.alert),
      // One message per target: if any alert in it may ping, it pings.
      silent: alerts.every((a) => a.mode === 'deliver-silent'),
    });
  }
  return decision;
}

/**
 * The mode for one alert under some windows: the most restrictive `outside` action of the
 * windows it is outside of (and not exempt from); for `hold`, when all of them are open.
 */
function modeIn(windows: readonly ActiveHours[], alert: Alert, now: number): { mode: Mode; releaseAt: number } {
  const applying = windows.filter((w) => !w.isExempt(alert.labels.severity));
  let mode: Mode = 'deliver';
  for (const w of applying) if (!w.isActive(now) && RESTRICTION[w.outside] > RESTRICTION[mode]) mode = w.outside;
  if (mode !== 'hold') return { mode, releaseAt: now };
  const releaseAt = commonOpening(applying, now);
  return releaseAt === undefined ? { mode: 'drop', releaseAt: now } : { mode, releaseAt };
}

/** The first instant after `now` when every window is open at once (within a few weeks). */
function commonOpening(windows: readonly ActiveHours[], now: number): number | undefined {
  let t = now;
  for (let round = 0; round < 30; round++) {
    for (const w of windows) {
      const next = w.nextStart(t);
      if (next === undefined) return undefined;
      t = next;
    }
    if (windows.every((w) => w.isActive(t))) return t;
  }
  return undefined;
}
