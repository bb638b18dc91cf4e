#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseNotification } from './alertmanager/payload.js';
import {
  embeddedDefault,
  formatProblems,
  loadConfigFile,
  resolveConfig,
  type LoadResult,
  type ResolvedConfig,
} from './config/load.js';
import { loadRuntime } from './config/load-runtime.js';
import { startService } from './main.js';
import { createLogger } from './shared/logger.js';
import { installProcessGuards } from './shared/process-guards.js';
import { renderMessages } from './render/render-job.js';
import { TemplateLoadError, loadTemplateSet } from './render/template-set.js';
import { createSeverityModel } from './shared/severity.js';

const USAGE = `Usage:
  alertcord [serve] [--config FILE]       run the receiver (default command)
  alertcord check-config [--strict] FILE  validate a config file and its templates, then exit;
                                          unset variables and missing secret files are
                                          warnings, errors with --strict
  alertcord render --template NAME --payload FILE.json [--config FILE]
                                          print the Discord messages a payload renders to

Without --config, ALERTCORD_CONFIG names the file; without either, an embedded default
runs one route to DISCORD_WEBHOOK_URL (or a dry-run that prints messages to stdout).`;

function loadConfig(file: string | undefined): LoadResult {
  const path = file ?? process.env.ALERTCORD_CONFIG;
  if (path) return loadConfigFile(path);
  return resolveConfig(embeddedDefault(process.env), process.env, 'embedded default');
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function loadOrExit(file: string | undefined) {
  const loaded = loadConfig(file);
  if (!loaded.ok)
    fail(
      `invalid config (${file ?? process.env.ALERTCORD_CONFIG ?? 'embedded default'}):\n${formatProblems(loaded.problems)}`,
    );
  return loaded.config;
}

/** The templates as `serve` would load them: the config's directory and severity model. */
function templatesOrExit(config: ResolvedConfig | undefined) {
  try {
    const severities = createSeverityModel(config?.severities);
    return loadTemplateSet({ now: () => Date.now(), severities }, config?.templates.dir);
  } catch (err) {
    if (err instanceof TemplateLoadError) fail(`invalid templates:\n${err.message}`);
    throw err;
  }
}

async function serve(file: string | undefined): Promise<void> {
  const path = file ?? process.env.ALERTCORD_CONFIG;
  const load = () => loadRuntime(path, process.env, () => Date.now());
  const loaded = load();
  if (!loaded.ok) fail(`invalid config (${path ?? 'embedded default'}):\n${formatProblems(loaded.problems)}`);
  const { config } = loaded.runtime;
  let started: Awaited<ReturnType<typeof startService>> | undefined;
  const startupLog = createLogger(config.log.level);
  installProcessGuards(process, {
    log: () => started?.log ?? startupLog,
    exit: (code) => process.exit(code),
    fatal: () => {
      if (!started) process.exit(1);
      // Should the drain itself hang on the broken state, exit all the same.
      setTimeout(() => process.exit(1), config.delivery.drain_timeout + 5000).unref();
      void started.shutdown().finally(() => process.exit(1));
    },
  });
  // SIGHUP: reload the config, its secrets and templates; an invalid one is logged and ignored.
  // Registered before starting, so a SIGHUP during start-up does not end the process.
  process.on('SIGHUP', () => void started?.reload('SIGHUP'));
  // SIGTERM/SIGINT too: a signal during start-up exits cleanly (nothing was accepted yet).
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    const service = started;
    if (!service) process.exit(0);
    if (signals > 1) {
      service.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    service.log.info({ signal, queued: service.delivery.queued }, 'shutting down: draining queued messages');
    void service.shutdown().then(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  started = await startService({
    ...loaded.runtime,
    reload: load,
    ...(path === undefined ? {} : { configFile: path }),
  });
}

/**
 * Checks everything but the secrets by default, like `amtool check-config` in a config
 * repository's CI: unset variables and unreadable secret files are warnings. `--strict`
 * requires them, as `serve` does.
 */
function checkConfig(file: string | undefined, strict: boolean): void {
  if (!file) fail(`check-config needs a FILE\n\n${USAGE}`);
  const loaded = loadRuntime(file, process.env, () => Date.now(), strict ? 'required' : 'optional');
  for (const w of loaded.warnings ?? []) process.stderr.write(`warning: ${w.path}: ${w.message}\n`);
  if (!loaded.ok) fail(`invalid config (${file}):\n${formatProblems(loaded.problems)}`);
  const { config, templates } = loaded.runtime;
  process.stdout.write(
    `${file}: OK (${config.targets.size} targets, ${config.routes.length} routes, templates: ${templates.names().join(', ')})\n`,
  );
}

function render(values: {
  template?: string | undefined;
  payload?: string | undefined;
  config?: string | undefined;
}): void {
  if (!values.payload) fail(`render needs --payload FILE.json\n\n${USAGE}`);
  const config = values.config ? loadOrExit(values.config) : undefined;
  const templates = templatesOrExit(config);
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(values.payload, 'utf8'));
  } catch (err) {
    fail(`cannot read ${values.payload}: ${(err as Error).message}`);
  }
  const parsed = parseNotification(body);
  if (!parsed.ok) fail(`invalid payload:\n${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  const name = values.template ?? 'default';
  if (!templates.get(name)) fail(`unknown template "${name}" (known: ${templates.names().join(', ')})`);
  const out = renderMessages(templates, { notification: parsed.notification, target: 'preview', template: name });
  process.stdout.write(`${JSON.stringify(out.messages, null, 2)}\n`);
  if (out.templateError)
    process.stderr.write(`template error, rendered with "${out.template}": ${out.templateError}\n`);
  for (const cut of out.cuts) process.stderr.write(`cut: ${cut.path}: ${cut.action} (${cut.limit})\n`);
  process.stderr.write(`${out.messages.length} message(s), ${out.cuts.length} cut(s)\n`);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      template: { type: 'string', short: 't' },
      payload: { type: 'string', short: 'p' },
      strict: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command = 'serve', arg] = positionals;
  switch (command) {
    case 'serve':
      return serve(values.config);
    case 'check-config':
      return checkConfig(arg ?? values.config, values.strict === true);
    case 'render':
      return render(values);
    default:
      fail(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => fail(`alertcord: ${(err as Error).message}`));
