/**
 * One alertcord process started from the built CLI, as a pod runs it: for tests that run several
 * replicas, kill one, and read what each logged.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Replica {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** Every line the process wrote (stdout and stderr), JSON log lines among them. */
  readonly lines: string[];
  /** The parsed JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  /** SIGKILL: no drain, no goodbye — a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** The environment without the variables that would override a test's config. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DISCORD_|ALERTCORD_|PORT$|HOST$)/.test(k))),
    ...extra,
  };
}

export async function startReplica(
  name: string,
  configFile: string,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<Replica> {
  const child = spawn(process.execPath, ['dist/cli.js', '--config', configFile], { env: cleanEnv(env) });
  const lines: string[] = [];
  let partial = '';
  const take = (chunk: string): void => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout?.setEncoding('utf8').on('data', take);
  child.stderr?.setEncoding('utf8').on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${lines.join('\n')}`)), timeoutMs);
    const look = (): void => {
      const line = lines.find((l) => l.includes('alertcord listening'));
      if (line) {
        clearTimeout(timer);
        child.stdout?.off('data', look);
        child.stderr?.off('data', look);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${String(code)} before listening:\n${lines.join('\n')}`));
    });
  });
  return {
    name,
    url,
    port: Number(new URL(url).port),
    child,
    lines,
    logs: () =>
      lines.flatMap((l) => {
        if (!l.startsWith('{')) return [];
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
