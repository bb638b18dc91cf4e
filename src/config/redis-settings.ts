import type { Config } from './schema.js';

/** Where the shared state lives, with its secret already read; absent in single-process mode. */
export interface RedisSettings {
  url: string;
  keyPrefix: string;
}

interface Problem {
  path: string;
  message: string;
}

export const REDIS_URL_ENV = 'ALERTCORD_REDIS_URL';

/**
 * `state.redis` resolved: ALERTCORD_REDIS_URL wins (a container platform sets it from a
 * Secret), then url_file, then url. Setting the variable alone turns Redis on.
 *
 * A password written inline in the file is a problem, not a warning: config files end up in
 * ConfigMaps and repositories, and a warning is read once and forgotten while the password
 * stays in plain view. `${VAR}` in the url is fine — `rawUrl` is the value before substitution.
 */
export function resolveRedisSettings(
  state: Config['state'],
  rawUrl: unknown,
  env: NodeJS.ProcessEnv,
  problems: Problem[],
  /** Reads the secret file, listing a problem when it cannot (as every secret file is read). */
  readUrlFile: (file: string) => string | undefined,
): RedisSettings | undefined {
  const redis = state.redis;
  const fromEnv = env[REDIS_URL_ENV];
  if (redis === undefined && !fromEnv) return undefined;
  const keyPrefix = redis?.key_prefix ?? 'alertcord:';
  if (typeof rawUrl === 'string' && !rawUrl.includes('${') && passwordOf(rawUrl) !== '') {
    problems.push({
      path: 'state.redis.url',
      message: `holds a password: put the URL in url_file or ${REDIS_URL_ENV}, or write \${VAR} in its place`,
    });
  }
  let url: string | undefined;
  let path = 'state.redis.url';
  if (fromEnv) {
    url = fromEnv.trim();
    path = REDIS_URL_ENV;
  } else if (redis?.url_file !== undefined) {
    url = readUrlFile(redis.url_file);
    path = 'state.redis.url_file';
  } else if (redis?.url !== undefined) {
    if (redis.url.includes('${')) return undefined; // its variable is unset: listed already
    url = redis.url;
  } else {
    problems.push({ path: 'state.redis', message: `needs url, url_file or ${REDIS_URL_ENV}` });
  }
  if (url === undefined) return undefined;
  // The message never quotes the URL: it may hold the password.
  if (!isRedisUrl(url)) problems.push({ path, message: 'must be a redis:// or rediss:// URL' });
  return { url, keyPrefix };
}

/** `state.redis.url` of a document as parsed, before or after substitution. */
export function rawRedisUrl(raw: unknown): unknown {
  const at = (v: unknown, key: string): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
  return at(at(at(raw, 'state'), 'redis'), 'url');
}

/** The password of a Redis URL, decoded; '' when it has none or is no URL. */
export function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

function isRedisUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === 'redis:' || protocol === 'rediss:') && hostname !== '';
  } catch {
    return false;
  }
}
