import { parseWebhookUrl, type Webhook } from '../discord/webhook.js';
import { passwordOf, rawRedisUrl, type RedisSettings } from './redis-settings.js';

/** The parts of a resolved config that hold secrets (typed here, so load.ts may import this file). */
export interface HoldsSecrets {
  targets: ReadonlyMap<string, { webhooks: readonly Webhook[] }>;
  receiverAuth: { bearerToken: string | undefined; basic: { password: string } | undefined } | undefined;
  redis: RedisSettings | undefined;
}

/** Every secret value a resolved config holds: webhook tokens, receiver and Redis credentials. */
export function configSecrets(config: HoldsSecrets): string[] {
  const out: string[] = [];
  for (const t of config.targets.values()) for (const w of t.webhooks) out.push(w.secret());
  const auth = config.receiverAuth;
  if (auth?.bearerToken !== undefined) out.push(auth.bearerToken);
  if (auth?.basic !== undefined) out.push(auth.basic.password);
  if (config.redis !== undefined) out.push(...redisSecrets(config.redis.url));
  return out;
}

/**
 * The secret values of a config that may not have resolved (a rejected one): the inline
 * secret fields after substitution. A rejected config's problems are redacted with them.
 */
export function rawSecrets(raw: unknown): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v !== 'string') return;
    out.push(v.trim());
    const parsed = parseWebhookUrl(v);
    if (parsed.ok) out.push(parsed.webhook.secret());
  };
  const server = field(raw, 'server');
  const auth = field(server, 'auth');
  add(field(auth, 'bearer_token'));
  add(field(field(auth, 'basic'), 'password'));
  const redisUrl = rawRedisUrl(raw);
  if (typeof redisUrl === 'string') out.push(...redisSecrets(redisUrl));
  const targets = field(raw, 'targets');
  if (isObject(targets)) {
    for (const t of Object.values(targets)) {
      add(field(t, 'webhook_url'));
      const urls = field(t, 'webhook_urls');
      if (Array.isArray(urls)) urls.forEach(add);
    }
  }
  return out;
}

/** The URL as a whole and its password, raw and decoded (a log may carry either form). */
function redisSecrets(url: string): string[] {
  const out = [url.trim()];
  const decoded = passwordOf(url);
  if (decoded !== '') out.push(decoded, new URL(url).password);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
const field = (v: unknown, key: string): unknown => (isObject(v) && !Array.isArray(v) ? v[key] : undefined);
