import { loadTemplateSet, TemplateLoadError, type TemplateSet } from '../render/template-set.js';
import { createSeverityModel, type SeverityModel } from '../shared/severity.js';
import {
  embeddedDefault,
  loadConfigFile,
  resolveConfig,
  type ConfigProblem,
  type ResolvedConfig,
  type SecretsMode,
} from './load.js';
import { stormTemplateOf, stormTemplateProblem } from '../render/storm-template.js';

/** A config, the template set it names and its severity model: what runs, and what a reload swaps as one. */
export interface Runtime {
  config: ResolvedConfig;
  templates: TemplateSet;
  /** Built once per config, so whoever reads `current()` gets the model of the running config. */
  severities: SeverityModel;
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
  const severities = createSeverityModel(config.severities);
  let templates: TemplateSet;
  try {
    templates = loadTemplateSet({ now, severities }, config.templates.dir);
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
  const problems = templateNames(config).flatMap(({ path, name }) =>
    templates.get(name)
      ? []
      : [{ path, message: `unknown template "${name}" (known: ${templates.names().join(', ')})` }],
  );
  for (const t of config.targets.values()) {
    // A group's message is edited between its template and its storm template: one kind both.
    const storm = stormTemplateOf(templates, t, config.delivery.digest_template);
    const named = storm === t.digest?.template || storm === config.delivery.digest_template;
    // An unknown name the config wrote is reported above, once.
    if (named && !templates.get(storm)) continue;
    const problem = stormTemplateProblem(templates, t.template, storm);
    if (problem) problems.push({ path: `targets.${t.name}.digest.template`, message: problem });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, runtime: { config, templates, severities } };
}

/** Every template the config names, with where: a typo is a load error, not a surprise mid-storm. */
function templateNames(config: ResolvedConfig): { path: string; name: string }[] {
  const names = [{ path: 'delivery.digest_template', name: config.delivery.digest_template }];
  for (const t of config.targets.values()) {
    names.push({ path: `targets.${t.name}.template`, name: t.template });
    if (t.digest?.template !== undefined)
      names.push({ path: `targets.${t.name}.digest.template`, name: t.digest.template });
  }
  return names;
}
