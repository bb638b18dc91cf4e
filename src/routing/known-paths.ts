import type { RoutingConfig } from './route-alerts.js';

/** Paths that some route listens on: POST /alerts/{path} to any other is a 404. */
export function knownPaths(config: RoutingConfig): Set<string> {
  return new Set(config.routes.flatMap((r) => (r.path === undefined ? [] : [r.path])));
}
