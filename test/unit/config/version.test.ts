import { describe, expect, it } from 'vitest';
import { resolveConfig, type ResolvedConfig } from '../../../src/config/load.js';
import { configVersion } from '../../../src/config/version.js';
import { FAKE_TOKEN, FAKE_WEBHOOK_URL } from '../../fixtures/index.js';

function config(url: string, port = 9094): ResolvedConfig {
  const loaded = resolveConfig(
    { server: { port }, targets: { team: { webhook_url: url } }, routes: [{ targets: ['team'] }] },
    {},
    'config.yaml',
  );
  if (!loaded.ok) throw new Error('invalid');
  return loaded.config;
}

describe('configVersion', () => {
  it('is the same for the same config and changes with any setting, a rotated token included', () => {
    const version = configVersion(config(FAKE_WEBHOOK_URL));
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(configVersion(config(FAKE_WEBHOOK_URL))).toBe(version);
    expect(configVersion(config(FAKE_WEBHOOK_URL, 9095))).not.toBe(version);
    expect(configVersion(config(FAKE_WEBHOOK_URL.replace(FAKE_TOKEN, 'y'.repeat(68))))).not.toBe(version);
  });
});
