import type { Runtime } from '../config/load-runtime.js';
import { createSeverityModel, type SeverityModel } from '../routing/severity.js';

/** The severity model of the running config: it follows reloads, one model per config object. */
export function currentSeverities(current: () => Runtime): SeverityModel {
  const models = new WeakMap<object, SeverityModel>();
  const now = (): SeverityModel => {
    const c = current().config;
    const model = models.get(c) ?? createSeverityModel(c.severities);
    models.set(c, model);
    return model;
  };
  return {
    style: (s) => now().style(s),
    look: (s, status) => now().look(s, status),
    priority: (s) => now().priority(s),
  };
}
