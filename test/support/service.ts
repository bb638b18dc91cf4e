import { resolveConfig, type ResolvedConfig } from '../../src/config/load.js';
import { loadRuntime } from '../../src/config/load-runtime.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { startService, type RunningService } from '../../src/main.js';
import type { Clock } from '../../src/shared/clock.js';

export interface TestService extends RunningService {
  /** Every log line written so far (already redacted by the logger). */
  logs: string[];
  /** Every dry-run line printed so far. */
  printed: string[];
  post(
    body: unknown,
    init?: { path?: string; contentType?: string; headers?: Record<string, string> },
  ): Promise<Response>;
}

export function testConfig(input: ConfigInput, env: NodeJS.ProcessEnv = {}): ResolvedConfig {
  // Tests post the same fixtures again and again: deduplication is off unless a test asks for it.
  const loaded = resolveConfig(
    { server: { host: '127.0.0.1', port: 0 }, log: { level: 'debug' }, dedup: { window: 0 }, ...input },
    env,
    'test',
  );
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return loaded.config;
}

/** The real service on a real loopback port, with logs and dry-run output captured. */
export async function startTestService(config: ResolvedConfig, clock?: Clock): Promise<TestService> {
  const logs: string[] = [];
  const printed: string[] = [];
  const service = await startService({
    config,
    ...(clock ? { clock } : {}),
    logSink: { write: (line) => void logs.push(line) },
    dryRunOut: { write: (line) => void printed.push(line) },
  });
  return Object.assign(service, {
    logs,
    printed,
    post: (body: unknown, init: { path?: string; contentType?: string; headers?: Record<string, string> } = {}) =>
      fetch(`${service.url}${init.path ?? '/alerts'}`, {
        method: 'POST',
        headers: { 'content-type': init.contentType ?? 'application/json', ...init.headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  });
}

/** Polls until the check passes or the time is up; the last failure is rethrown. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** Starts the service from a config file, as `serve` does, reloading from the same file. */
export async function startFromFile(file: string, logs: string[]): Promise<RunningService> {
  const load = () => loadRuntime(file, {}, () => Date.now());
  const loaded = load();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return startService({
    config: loaded.runtime.config,
    reload: load,
    configFile: file,
    logSink: { write: (l) => void logs.push(l) },
  });
}
