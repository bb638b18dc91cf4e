import type { Runtime } from '../config/load-runtime.js';
import type { SeverityModel } from '../shared/severity.js';

/** The severity model of the running config: each runtime carries its own, so it follows reloads. */
export function currentSeverities(current: () => Runtime): SeverityModel {
  return {
    style: (s) => current().severities.style(s),
    look: (s, status) => current().severities.look(s, status),
    priority: (s) => current().severities.priority(s),
  };
}
