/**
 * Drives a real Prometheus Alertmanager process from tests.
 *
 * startAlertmanager() writes a config with one webhook receiver per entry,
 * validates it with `amtool check-config`, starts the binary on a free
 * 127.0.0.1 port with HA gossip disabled and its storage in a temp dir, and
 * waits for /-/ready. The handle posts/resolves alerts through the v2 API and
 * stops the process (removing the temp dir) when done.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { getFreePort } from './ports.js';

export interface AlertmanagerReceiver {
  name: string;
  url: string;
  bearerToken?: string;
  maxAlerts?: number;
  /** default true */
  sendResolved?: boolean;
}

export interface AlertmanagerRoute {
  /** Alertmanager matcher strings, e.g. 'team="payments"' or 'severity=~"critical|page"' */
  matchers: string[];
  receiver: string;
  continue?: boolean;
}

export interface AlertmanagerOptions {
  /** webhook_configs receivers; the first is the route's default receiver */
  receivers: AlertmanagerReceiver[];
  /** extra child routes: matchers → receiver name */
  routes?: AlertmanagerRoute[];
  /** default ['alertname'] */
  groupBy?: string[];
  /** default '1s' */
  groupWait?: string;
  /** default '1s' */
  groupInterval?: string;
  /** default '1h' */
  repeatInterval?: string;
  resolveTimeout?: string;
  /** Alertmanager's --log.level; default 'info' */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** how long to wait for /-/ready; default 15000 ms */
  readyTimeoutMs?: number;
}

export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerHandle {
  /** http://127.0.0.1:PORT (also the --web.external-url, so payloads carry it as externalURL) */
  url: string;
  /** POST /api/v2/alerts; throws on a non-2xx answer */
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** re-posts the alerts with endsAt = now, which resolves them */
  resolveAlerts(alerts: PostableAlert[]): Promise<void>;
  /** SIGTERM (SIGKILL after a grace period), wait for exit, remove the temp dir; idempotent */
  stop(): Promise<void>;
  /** captured stdout + stderr */
  logs(): string;
}

const ALERTMANAGER_NAMES = ['prometheus-alertmanager', 'alertmanager'];
const AMTOOL_NAMES = ['amtool', 'prometheus-amtool'];
const EXTRA_DIRS = ['/usr/bin', '/usr/local/bin'];
const START_ATTEMPTS = 3;
const STOP_GRACE_MS = 10_000;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findExecutable(envOverride: string | undefined, names: string[]): string | undefined {
  if (envOverride) return isExecutableFile(envOverride) ? envOverride : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Path of the Alertmanager binary (ALERTMANAGER_BIN overrides the search), or undefined. */
export function findAlertmanagerBinary(): string | undefined {
  return findExecutable(process.env.ALERTMANAGER_BIN, ALERTMANAGER_NAMES);
}

/** Path of amtool (AMTOOL_BIN overrides the search), or undefined. */
export function findAmtoolBinary(): string | undefined {
  return findExecutable(process.env.AMTOOL_BIN, AMTOOL_NAMES);
}

/** True when both the Alertmanager binary and amtool (used to validate the config) are present. */
export function alertmanagerAvailable(): boolean {
  return findAlertmanagerBinary() !== undefined && findAmtoolBinary() !== undefined;
}

/** The Alertmanager YAML config for `opts` (exported for inspection in tests). */
export function renderAlertmanagerConfig(opts: AlertmanagerOptions): string {
  const [first] = opts.receivers;
  if (first === undefined) throw new Error('startAlertmanager: at least one receiver is required');
  const names = new Set<string>();
  for (const r of opts.receivers) {
    if (names.has(r.name)) throw new Error(`startAlertmanager: duplicate receiver name ${JSON.stringify(r.name)}`);
    names.add(r.name);
  }

  const route: Record<string, unknown> = {
    receiver: first.name,
    group_by: opts.groupBy ?? ['alertname'],
    group_wait: opts.groupWait ?? '1s',
    group_interval: opts.groupInterval ?? '1s',
    repeat_interval: opts.repeatInterval ?? '1h',
  };
  if (opts.routes && opts.routes.length > 0) {
    route.routes = opts.routes.map((r) => ({
      receiver: r.receiver,
      matchers: r.matchers,
      continue: r.continue ?? false,
    }));
  }

  const receivers = opts.receivers.map((r) => {
    const webhook: Record<string, unknown> = { url: r.url, send_resolved: r.sendResolved ?? true };
    if (r.maxAlerts !== undefined) webhook.max_alerts = r.maxAlerts;
    if (r.bearerToken !== undefined) {
      webhook.http_config = { authorization: { type: 'Bearer', credentials: r.bearerToken } };
    }
    return { name: r.name, webhook_configs: [webhook] };
  });

  const config: Record<string, unknown> = {};
  if (opts.resolveTimeout !== undefined) config.global = { resolve_timeout: opts.resolveTimeout };
  config.route = route;
  config.receivers = receivers;
  return stringify(config);
}

function checkConfig(amtool: string, configPath: string, yamlText: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(amtool, ['check-config', configPath], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (!err) {
        resolve();
        return;
      }
      const output = `${stdout}${stderr}`.trim() || err.message;
      reject(
        new Error(`amtool check-config rejected the Alertmanager config:\n${output}\n--- config ---\n${yamlText}`),
      );
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// Kill anything still running if the test process goes away without calling stop().
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of liveChildren) c.kill('SIGKILL');
    });
  }
  liveChildren.add(child);
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  hasExited(): boolean;
}

function launch(bin: string, args: string[], log: string[]): Running {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let done = false;
  const exited = new Promise<void>((resolve) => {
    const finish = () => {
      if (done) return;
      done = true;
      liveChildren.delete(child);
      resolve();
    };
    // 'close' (not 'exit') so that all output has been captured by then.
    child.once('close', (code, signal) => {
      log.push(`[alertmanager exited: code=${String(code)} signal=${String(signal)}]\n`);
      finish();
    });
    child.once('error', (err) => {
      log.push(`[alertmanager spawn error: ${err.message}]\n`);
      finish();
    });
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
  return { child, exited, hasExited: () => done };
}

async function terminate(run: Running): Promise<void> {
  if (run.hasExited()) return;
  run.child.kill('SIGTERM');
  const timedOut = await Promise.race([run.exited.then(() => false), sleep(STOP_GRACE_MS).then(() => true)]);
  if (timedOut) {
    run.child.kill('SIGKILL');
    await run.exited;
  }
}

async function waitReady(url: string, run: Running, timeoutMs: number): Promise<'ready' | 'exited'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (run.hasExited()) return 'exited';
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.ok) return 'ready';
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`Alertmanager at ${url} was not ready after ${timeoutMs} ms`);
}

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} failed: ${res.status} ${res.statusText}: ${text}`);
}

export async function startAlertmanager(opts: AlertmanagerOptions): Promise<AlertmanagerHandle> {
  const bin = findAlertmanagerBinary();
  const amtool = findAmtoolBinary();
  if (!bin || !amtool) {
    throw new Error(
      `Alertmanager not found (binary: ${bin ?? 'missing'}, amtool: ${amtool ?? 'missing'}); ` +
        'install the Debian package prometheus-alertmanager',
    );
  }

  const yamlText = renderAlertmanagerConfig(opts);
  const dir = await mkdtemp(join(tmpdir(), 'alertcord-am-'));
  const log: string[] = [];
  try {
    const configPath = join(dir, 'alertmanager.yml');
    await writeFile(configPath, yamlText, 'utf8');
    await checkConfig(amtool, configPath, yamlText);

    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const port = await getFreePort();
      const url = `http://127.0.0.1:${port}`;
      const logStart = log.length;
      const run = launch(
        bin,
        [
          `--config.file=${configPath}`,
          `--storage.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          `--web.external-url=${url}`,
          '--cluster.listen-address=',
          `--log.level=${opts.logLevel ?? 'info'}`,
        ],
        log,
      );

      let state: 'ready' | 'exited';
      try {
        state = await waitReady(url, run, opts.readyTimeoutMs ?? 15_000);
      } catch (err) {
        await terminate(run);
        throw new Error(`${(err as Error).message}\n--- alertmanager output ---\n${log.join('')}`);
      }

      if (state === 'exited') {
        await run.exited;
        const attemptLog = log.slice(logStart).join('');
        if (/address already in use/i.test(attemptLog) && attempt < START_ATTEMPTS) continue;
        throw new Error(`Alertmanager exited before becoming ready\n--- alertmanager output ---\n${log.join('')}`);
      }

      return makeHandle(url, run, dir, log);
    }
    throw new Error(`Alertmanager could not bind a port after ${START_ATTEMPTS} attempts\n${log.join('')}`);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

function makeHandle(url: string, run: Running, dir: string, log: string[]): AlertmanagerHandle {
  let stopping: Promise<void> | undefined;
  const alertsUrl = `${url}/api/v2/alerts`;
  return {
    url,
    postAlerts: (alerts) => postJson(alertsUrl, alerts),
    resolveAlerts: (alerts) => {
      const endsAt = new Date().toISOString();
      return postJson(
        alertsUrl,
        alerts.map((a) => ({ ...a, endsAt })),
      );
    },
    stop: () => {
      stopping ??= (async () => {
        await terminate(run);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
    logs: () => log.join(''),
  };
}
