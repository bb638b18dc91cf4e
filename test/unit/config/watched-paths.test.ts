import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { watchedPaths } from '../../../src/config/config-watcher.js';
import { resolveConfig } from '../../../src/config/load.js';
import { FAKE_WEBHOOK_URL } from '../../fixtures/index.js';

describe('watched paths', () => {
  it('watch the config file and every secret file it reads', () => {
    const r = resolveConfig(
      {
        server: { auth: { bearer_token_file: '/s/token', basic: { username: 'am', password_file: '/s/password' } } },
        targets: {
          a: { webhook_url_file: '/s/a' },
          b: { webhook_url_files: ['/s/b1', '/s/b2'] },
          c: { webhook_url: FAKE_WEBHOOK_URL },
        },
        routes: [{ targets: ['a', 'b', 'c'] }],
      },
      {},
      'test',
      'optional',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(watchedPaths('/etc/alertcord/config.yaml', r.config).files.sort()).toEqual(
      ['/etc/alertcord/config.yaml', '/s/a', '/s/b1', '/s/b2', '/s/password', '/s/token'].sort(),
    );
  });

  it('know every secret-file key of the schema (a new one must be watched too)', () => {
    const keys = new Set(readFileSync('config.schema.json', 'utf8').match(/"[a-z_]+_files?"/g));
    expect([...keys].sort()).toEqual([
      '"bearer_token_file"',
      '"password_file"',
      '"url_file"',
      '"webhook_url_file"',
      '"webhook_url_files"',
    ]);
  });
});
