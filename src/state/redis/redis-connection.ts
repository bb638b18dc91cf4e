import { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.js';
import { installScripts } from './redis-scripts.js';

export interface RedisConnectionOptions {
  /** Names the connection in logs and in Redis' CLIENT LIST. */
  name: string;
  logger?: Logger;
  /** A command with no reply by then fails. Default 1000 ms; a blocking read needs its block time on top. */
  commandTimeoutMs?: number;
}

/** Reconnect delays: 100 ms doubling to 2 s, so a restarted Redis is back in use within about 2 s. */
export const reconnectDelayMs = (attempt: number): number => Math.min(100 * 2 ** Math.max(0, attempt - 1), 2_000);

/**
 * A connection that fails fast: while Redis is unreachable a command is refused at once (no
 * offline queue), one whose connection breaks is not resent, and one without a reply within
 * `commandTimeoutMs` fails — so intake can answer 503 within about a second. It reconnects on
 * its own with backoff. Logs name the endpoint as host:port, never the URL with its password.
 */
export function connectRedis(url: string, options: RedisConnectionOptions): Redis {
  const timeout = options.commandTimeoutMs ?? 1_000;
  const redis = new Redis(url, {
    connectionName: `alertcord-${options.name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: timeout,
    connectTimeout: Math.max(timeout, 1_000),
    retryStrategy: reconnectDelayMs,
  });
  installScripts(redis);
  watchConnection(redis, options.name, redisEndpoint(url), options.logger);
  return redis;
}

/**
 * Logs when the connection goes down and comes back, once each; every failed reconnect is
 * silent in between. Without an error listener ioredis would print every one to the console.
 */
export function watchConnection(redis: Redis, name: string, endpoint: string, logger?: Logger): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger?.warn({ redis: { connection: name, endpoint }, err: err.message }, 'redis unreachable');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger?.info({ redis: { connection: name, endpoint } }, 'redis reachable again');
  });
}

/** Resolves once the connection is ready; rejects after `timeoutMs` (it goes on reconnecting). */
export function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => done();
    const timer = setTimeout(() => done(new Error(`redis not ready within ${timeoutMs} ms`)), timeoutMs);
    redis.on('ready', onReady);
  });
}

/** host:port of a Redis URL: what logs and the status may show. */
export function redisEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'redis';
  }
}
