import { formatProblems, type ResolvedConfig } from '../config/load.js';
import { withTemplates, type Runtime } from '../config/load-runtime.js';
import type { TemplateSet } from '../render/template-set.js';
import type { Clock } from '../shared/clock.js';
import { createSeverityModel, type SeverityModel } from '../shared/severity.js';

/** The runtime to start with: the caller's templates when it loaded them already (not built twice). */
export function initialRuntime(
  o: { config: ResolvedConfig; templates?: TemplateSet | undefined; severities?: SeverityModel | undefined },
  clock: Clock,
): Runtime {
  const { config } = o;
  if (o.templates)
    return { config, templates: o.templates, severities: o.severities ?? createSeverityModel(config.severities) };
  const loaded = withTemplates(config, () => clock.now());
  if (!loaded.ok) throw new Error(`invalid config:\n${formatProblems(loaded.problems)}`);
  return loaded.runtime;
}
