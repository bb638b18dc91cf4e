import type { Notification } from '../alertmanager/payload.js';
import type { ResolvedConfig, ResolvedTarget } from '../config/load.js';

/**
 * Routes are evaluated in order; the first match wins unless it says `continue: true`.
 * A route without conditions matches everything (the catch-all); a route with `path` only
 * matches notifications posted to /alerts/{path}. A target reached by
 * several routes gets the notification once.
 */
export function selectTargets(config: ResolvedConfig, notification: Notification, path?: string): ResolvedTarget[] {
  const selected = new Map<string, ResolvedTarget>();
  for (const route of config.routes) {
    if (route.receiver !== undefined && route.receiver !== notification.receiver) continue;
    if (route.path !== undefined && route.path !== path) continue;
    for (const name of route.targets) {
      const target = config.targets.get(name);
      if (target) selected.set(name, target);
    }
    if (!route.continue) break;
  }
  return [...selected.values()];
}

/** Paths that some route listens on: POST /alerts/{path} to any other is a 404. */
export function knownPaths(config: ResolvedConfig): Set<string> {
  return new Set(config.routes.flatMap((r) => (r.path === undefined ? [] : [r.path])));
}
