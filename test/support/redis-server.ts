/**
 * Drives a real redis-server process from tests: a free 127.0.0.1 port, its files in a temp
 * dir, no RDB snapshots (`--save ''`), and optionally an append-only file so that a restart on
 * the same port and dir keeps the data. start waits for PING; stop, restart, pause and resume
 * act on the process, so tests see what a client sees when Redis goes away or hangs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { getFreePort } from './ports.js';

export interface RedisServerOptions {
  /** Keep data in an append-only file (fsync on every write) across restart(). Default false. */
  appendonly?: boolean;
  /** How long to wait for PING; default 10000 ms. */
  readyTimeoutMs?: number;
}

export interface RedisServerHandle {
  readonly port: number;
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  /** SIGTERM (Redis writes its AOF on the way out), wait for the exit. The dir is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same port and dir, and waits for PING. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that holds connections open but answers nothing. */
  pause(): void;
  resume(): void;
  /** Stops it and removes its dir; idempotent. */
  close(): Promise<void>;
  /** captured stdout + stderr */
  logs(): string;
}

const START_ATTEMPTS = 3;
const STOP_GRACE_MS = 5_000;
export const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';

/** Path of redis-server (REDIS_SERVER_BIN overrides the search), or undefined. */
export function findRedisServer(): string | undefined {
  const override = process.env.REDIS_SERVER_BIN;
  const dirs = override ? [] : [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin'];
  const candidates = override ? [override] : dirs.map((d) => join(d, 'redis-server'));
  return candidates.find((c) => {
    try {
      accessSync(c, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Whether Redis tests run here: with redis-server installed, always; without it they are
 * skipped on a laptop but fail in CI (`requireRedisServer` throws), never skipped silently.
 */
export const redisTestsEnabled = findRedisServer() !== undefined || inCI;

export function requireRedisServer(): string {
  const bin = findRedisServer();
  if (bin === undefined) throw new Error('redis-server is not installed: .ci/run installs it (Debian redis-server)');
  return bin;
}

const live = new Set<ChildProcess>();
let exitHook = false;

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const bin = requireRedisServer();
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => live.forEach((c) => c.kill('SIGKILL')));
  }
  const dir = await mkdtemp(join(tmpdir(), 'alertcord-redis-'));
  const log: string[] = [];
  const timeout = options.readyTimeoutMs ?? 10_000;
  let port = 0;
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
    args.push('--appendonly', options.appendonly ? 'yes' : 'no', '--appendfsync', 'always');
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(proc);
    proc.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
    proc.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.once('exit', () => live.delete(proc));
    child = proc;
    const ready = await Promise.race([waitForPing(port, timeout), exited.then(() => false)]);
    if (!ready) {
      proc.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on ${port}:\n${log.join('')}`);
    }
  };

  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    port = await getFreePort();
    try {
      await launch();
      lastError = undefined;
      break;
    } catch (err) {
      lastError = err; // another process may have taken the port in between: try another
    }
  }
  if (lastError !== undefined) {
    await rm(dir, { recursive: true, force: true });
    throw lastError;
  }

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGCONT'); // a paused process would not act on SIGTERM
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
    logs: () => log.join(''),
  };
}

/** Polls with a raw PING until +PONG (a loading Redis answers -LOADING instead). */
async function waitForPing(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pingOnce(port)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
