import { loadTemplateSet, TemplateLoadError, type TemplateSet } from '../render/template-set.js';
import { createSeverityModel } from '../routing/severity.js';
import {
  embeddedDefault,
  loadConfigFile,
  resolveConfig,
  type ConfigProblem,
  type ResolvedConfig,
  type SecretsMode,
} from './load.js';
import { stormTemplateOf, stormTemplateProblem } from '../render/storm-template.js';

/** A config and the template set it names: what runs, and what a reload swaps as one. */
export interface Runtime {
  config: ResolvedConfig;
  templates: TemplateSet;
}

/** `warnings`: secrets that did not resolve, when they were optional (check-config). */
export type RuntimeResult =
  | { ok: true; runtime: Runtime; warnings?: ConfigProblem[] }
  | { ok: false; problems: ConfigProblem[]; warnings?: ConfigProblem[] };

/** Loads the file (or the embedded default), then its templates, and checks one against the other. */
export function loadRuntime(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  now: () => number,
  secrets: SecretsMode = 'required',
): RuntimeResult {
  const loaded = file
    ? loadConfigFile(file, env, secrets)
    : resolveConfig(embeddedDefault(env), env, 'embedded default', secrets);
  if (!loaded.ok) return loaded;
  return { ...withTemplates(loaded.config, now), warnings: loaded.warnings };
}

export function withTemplates(config: ResolvedConfig, now: () => number): RuntimeResult {
  let templates: TemplateSet;
  try {
    templates = loadTemplateSet({ now, severities: createSeverityModel(config.severities) }, config.templates.dir);
  } catch (err) {
    if (!(err instanceof TemplateLoadError)) throw err;
    return {
      ok: false,
      problems: err.problems.map((p) => {
        const where = p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : '';
        return { path: `${p.file}${where}${p.path ? `: ${p.path}` : ''}`, message: p.message };
      }),
    };
  }
  const problems: ConfigProblem[] = [];
  for (const t of config.targets.values()) {
    if (!templates.get(t.template))
      problems.push({
        path: `targets.${t.name}.template`,
        message: `unknown template "${t.template}" (known: ${templates.names().join(', ')})`,
      });
    const storm = stormTemplateOf(templates, t, config.delivery.digest_template);
    const problem = stormTemplateProblem(templates, t.template, storm);
    if (problem) problems.push({ path: `targets.${t.name}.digest.template`, message: problem });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, runtime: { config, templates } };
}
