import { createHash } from 'node:crypto';
import type { ResolvedConfig } from './load.js';

/**
 * A short fingerprint of the effective config, so an operator can tell whether a reload
 * changed anything. Webhook tokens and receiver secrets go into the hash (rotating one is a
 * change) but cannot be read back from twelve hex digits of SHA-256.
 */
export function configVersion(config: ResolvedConfig): string {
  const { targets, ...rest } = config;
  const canonical = JSON.stringify({
    ...rest,
    targets: [...targets.values()].map((t) => ({ ...t, webhooks: t.webhooks.map((w) => w.executePath()) })),
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}
