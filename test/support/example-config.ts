import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_WEBHOOK_URL } from '../fixtures/index.js';

export const EXAMPLE_ENV_TARGETS = { FINTECH_WEBHOOK_URL: 'fintech', IDENTITY_WEBHOOK_URL: 'identity' } as const;

/**
 * config.example.yaml made runnable: each secret file it names is written into `dir`, and the
 * environment it needs is returned. `urls` gives a webhook URL per target name (default: a
 * fake one), so a test can point each target at its own emulator webhook.
 */
export function writeExampleConfig(
  dir: string,
  urls: Record<string, string> = {},
  edit: (text: string) => string = (t) => t,
): { file: string; env: Record<string, string> } {
  let text = readFileSync('config.example.yaml', 'utf8');
  text = text.replace(/\/etc\/alertcord\/secrets\/([a-z-]+)-webhook-url/g, (_, target: string) => {
    const secret = join(dir, `${target}-webhook-url`);
    writeFileSync(secret, `${urls[target] ?? FAKE_WEBHOOK_URL}\n`);
    return secret;
  });
  const file = join(dir, 'example.yaml');
  writeFileSync(file, edit(text));
  const env = Object.fromEntries(
    Object.entries(EXAMPLE_ENV_TARGETS).map(([name, target]) => [name, urls[target] ?? FAKE_WEBHOOK_URL]),
  );
  return { file, env };
}
