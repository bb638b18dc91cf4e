import { readFileSync } from 'node:fs';
import { LineCounter, parse as parseYaml, YAMLError } from 'yaml';
import { formatPath } from '../shared/format-path.js';
import { parseWebhookUrl, type Webhook } from '../discord/webhook.js';
import { SecretRedactor } from '../shared/secret-redactor.js';
import { configSecrets, rawSecrets } from './config-secrets.js';
import { rawRedisUrl, resolveRedisSettings, type RedisSettings } from './redis-settings.js';
import { substituteEnv } from './env.js';
import { describeYamlError } from './yaml-error.js';
import { configSchema, type Config, type ConfigInput, type TargetConfig } from './schema.js';

export interface ConfigProblem {
  path: string;
  message: string;
}

export interface ResolvedTarget extends TargetConfig {
  name: string;
  /** The target's webhook pool, all of one channel; empty for a dry-run target. */
  webhooks: Webhook[];
}

/** Receiver credentials with files already read; absent when auth is off. */
export interface ReceiverAuth {
  bearerToken: string | undefined;
  basic: { username: string; password: string } | undefined;
  protectHealth: boolean;
  protectMetrics: boolean;
}

export interface ResolvedConfig extends Omit<Config, 'targets'> {
  targets: Map<string, ResolvedTarget>;
  receiverAuth: ReceiverAuth | undefined;
  /** Shared state (state.redis or ALERTCORD_REDIS_URL); undefined: everything in this process. */
  redis: RedisSettings | undefined;
  /** Where it came from: a file path, or "embedded default". */
  source: string;
}

/**
 * `required` (serve, reload): an unset variable or an unreadable secret file is a problem.
 * `optional` (check-config in CI, without the secrets): they are warnings, all else is checked.
 */
export type SecretsMode = 'required' | 'optional';

export type LoadResult =
  | { ok: true; config: ResolvedConfig; warnings: ConfigProblem[] }
  | { ok: false; problems: ConfigProblem[]; warnings?: ConfigProblem[] };

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
}

/** The config used when no file is given: one route, one target from the environment. */
export function embeddedDefault(env: NodeJS.ProcessEnv): ConfigInput {
  const url = env.DISCORD_WEBHOOK_URL;
  return {
    targets: { default: url ? { webhook_url: url } : { dry_run: true } },
    routes: [{ targets: ['default'] }],
  };
}

/** Environment variables that override the file: what a container platform sets. */
function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  const section = (key: string): Record<string, unknown> => {
    const existing = raw[key];
    if (existing && typeof existing === 'object' && !Array.isArray(existing))
      return existing as Record<string, unknown>;
    const created: Record<string, unknown> = {};
    raw[key] = created;
    return created;
  };
  if (env.PORT) section('server').port = Number(env.PORT);
  if (env.HOST) section('server').host = env.HOST;
  if (env.DISCORD_API_BASE_URL) section('discord').api_base_url = env.DISCORD_API_BASE_URL;
  if (env.LOG_LEVEL) section('log').level = env.LOG_LEVEL;
}

export function loadConfigFile(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  secrets: SecretsMode = 'required',
): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, problems: [{ path: file, message: `cannot read: ${(err as Error).message}` }] };
  }
  let raw: unknown;
  const lines = new LineCounter();
  try {
    // No pretty errors and no warnings on stderr: both would quote the source line.
    raw = parseYaml(text, { prettyErrors: false, lineCounter: lines, logLevel: 'error' }) ?? {};
  } catch (err) {
    const message = err instanceof YAMLError ? describeYamlError(err, lines) : 'cannot parse';
    return { ok: false, problems: [{ path: file, message: `invalid YAML: ${message}` }] };
  }
  return resolveConfig(raw, env, file, secrets);
}

export function resolveConfig(
  raw: unknown,
  env: NodeJS.ProcessEnv,
  source: string,
  mode: SecretsMode = 'required',
): LoadResult {
  const problems: ConfigProblem[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: '(root)', message: 'must be a YAML mapping' }] };
  }
  /** Secrets that did not resolve: unset variables, unreadable or empty secret files. */
  const unresolved: ConfigProblem[] = [];
  const substituted = substituteEnv(raw, env, unresolved) as Record<string, unknown>;
  applyEnvOverrides(substituted, env);
  const parsed = configSchema.safeParse(substituted);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ path: formatPath(issue.path), message: issue.message });
    return outcome(mode, problems, unresolved, undefined, rawSecrets(substituted));
  }
  const config = parsed.data;
  const waiting = new Set(unresolved.map((u) => u.path));
  const targets = new Map<string, ResolvedTarget>();
  for (const [name, target] of Object.entries(config.targets)) {
    const webhooks = resolveWebhooks(target, `targets.${name}`, { problems, unresolved, waiting });
    targets.set(name, { ...target, name, webhooks });
  }
  for (const t of targets.values()) {
    if (t.fallback_target === undefined) continue;
    const path = `targets.${t.name}.fallback_target`;
    if (!targets.has(t.fallback_target)) problems.push({ path, message: `unknown target "${t.fallback_target}"` });
    else if (t.fallback_target === t.name) problems.push({ path, message: 'must name another target' });
  }
  const checkTarget = (name: string, path: string) => {
    if (!targets.has(name)) problems.push({ path, message: `unknown target "${name}"` });
  };
  config.routes.forEach((route, i) => {
    route.targets.forEach((t, j) => checkTarget(t, `routes[${i}].targets[${j}]`));
    route.escalation?.steps.forEach((step, j) =>
      step.targets.forEach((t, k) => checkTarget(t, `routes[${i}].escalation.steps[${j}].targets[${k}]`)),
    );
  });
  if (config.heartbeat && !targets.has(config.heartbeat.target)) {
    problems.push({ path: 'heartbeat.target', message: `unknown target "${config.heartbeat.target}"` });
  }
  const receiverAuth = resolveReceiverAuth(config.server.auth, unresolved);
  const redis = resolveRedisSettings(config.state, rawRedisUrl(raw), env, problems, (file) =>
    readSecret(file, 'state.redis.url_file', unresolved),
  );
  const resolved: ResolvedConfig = { ...config, targets, receiverAuth, redis, source };
  return outcome(mode, problems, unresolved, resolved, [...rawSecrets(substituted), ...configSecrets(resolved)]);
}

/**
 * Unresolved secrets are problems when they are required, warnings when not. Problems quote
 * values at times (a bad duration); any that holds one of the config's secrets is redacted.
 */
function outcome(
  mode: SecretsMode,
  problems: ConfigProblem[],
  unresolved: ConfigProblem[],
  config: ResolvedConfig | undefined,
  secrets: string[],
): LoadResult {
  const redactor = new SecretRedactor(secrets);
  const redact = (list: ConfigProblem[]) => list.map((p) => ({ ...p, message: redactor.redact(p.message) }));
  const all = redact(mode === 'required' ? [...unresolved, ...problems] : problems);
  const warnings = mode === 'required' ? [] : unresolved;
  if (config === undefined || all.length > 0) return { ok: false, problems: all, warnings };
  return { ok: true, config, warnings };
}

/** Reads a secret file; the problem names the field, never the content. */
function readSecret(file: string, path: string, problems: ConfigProblem[]): string | undefined {
  try {
    const value = readFileSync(file, 'utf8').trim();
    if (value === '') problems.push({ path, message: 'file is empty' });
    return value || undefined;
  } catch (err) {
    problems.push({ path, message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
    return undefined;
  }
}

function resolveReceiverAuth(auth: Config['server']['auth'], unresolved: ConfigProblem[]): ReceiverAuth | undefined {
  const bearerToken =
    auth.bearer_token ??
    (auth.bearer_token_file !== undefined
      ? readSecret(auth.bearer_token_file, 'server.auth.bearer_token_file', unresolved)
      : undefined);
  let basic: ReceiverAuth['basic'];
  if (auth.basic) {
    const password =
      auth.basic.password ??
      (auth.basic.password_file !== undefined
        ? readSecret(auth.basic.password_file, 'server.auth.basic.password_file', unresolved)
        : undefined);
    if (password !== undefined) basic = { username: auth.basic.username, password };
  }
  if (bearerToken === undefined && basic === undefined) return undefined;
  return { bearerToken, basic, protectHealth: auth.protect_health, protectMetrics: auth.protect_metrics };
}

interface WebhookProblems {
  problems: ConfigProblem[];
  unresolved: ConfigProblem[];
  /** Fields whose variable is unset: not parsed, their warning or problem is already listed. */
  waiting: ReadonlySet<string>;
}

function resolveWebhooks(target: TargetConfig, path: string, out: WebhookProblems): Webhook[] {
  const { problems, unresolved, waiting } = out;
  if (target.dry_run) return [];
  const sources: { field: string; url: string | undefined }[] = [];
  if (target.webhook_url !== undefined) sources.push({ field: 'webhook_url', url: target.webhook_url });
  if (target.webhook_url_file !== undefined) {
    sources.push({
      field: 'webhook_url_file',
      url: readSecret(target.webhook_url_file, `${path}.webhook_url_file`, unresolved),
    });
  }
  (target.webhook_urls ?? []).forEach((url, i) => sources.push({ field: `webhook_urls[${i}]`, url }));
  (target.webhook_url_files ?? []).forEach((file, i) => {
    const field = `webhook_url_files[${i}]`;
    sources.push({ field, url: readSecret(file, `${path}.${field}`, unresolved) });
  });
  const webhooks: Webhook[] = [];
  for (const { field, url } of sources) {
    if (url === undefined || waiting.has(`${path}.${field}`)) continue;
    const parsed = parseWebhookUrl(url);
    if (!parsed.ok) problems.push({ path: `${path}.${field}`, message: parsed.reason });
    else if (webhooks.some((w) => w.id === parsed.webhook.id)) {
      problems.push({ path: `${path}.${field}`, message: `webhook ${parsed.webhook.id} is listed twice` });
    } else webhooks.push(parsed.webhook);
  }
  return webhooks;
}
