import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSecrets } from '../../../src/config/config-secrets.js';
import { resolveConfig } from '../../../src/config/load.js';

const base = { targets: { t: { dry_run: true } }, routes: [{ targets: ['t'] }] };
const withRedis = (redis: Record<string, unknown>) => ({ ...base, state: { redis } });
const PASSWORD = 's3cret-redis-password';

describe('state.redis', () => {
  it('is off without the section and without ALERTCORD_REDIS_URL', () => {
    const r = resolveConfig(base, {}, 'test');
    expect(r.ok && r.config.redis).toBeUndefined();
  });

  it('takes a URL without credentials, with the default key prefix', () => {
    const r = resolveConfig(withRedis({ url: 'redis://redis:6379/2' }), {}, 'test');
    expect(r.ok && r.config.redis).toEqual({ url: 'redis://redis:6379/2', keyPrefix: 'alertcord:' });
  });

  it('refuses a password written inline, without quoting it', () => {
    const r = resolveConfig(withRedis({ url: `redis://default:${PASSWORD}@redis:6379` }), {}, 'test');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['state.redis.url']);
    expect(JSON.stringify(r.problems)).not.toContain(PASSWORD);
  });

  it('takes a password through ${VAR} and registers it as a secret', () => {
    const r = resolveConfig(
      withRedis({ url: 'redis://default:${REDIS_PASSWORD}@redis:6379', key_prefix: 'team-a:' }),
      { REDIS_PASSWORD: PASSWORD },
      'test',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.redis).toEqual({ url: `redis://default:${PASSWORD}@redis:6379`, keyPrefix: 'team-a:' });
    expect(configSecrets(r.config)).toEqual(expect.arrayContaining([PASSWORD, r.config.redis?.url]));
  });

  it('reads url_file, and ALERTCORD_REDIS_URL wins over both and turns Redis on alone', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'alertcord-redis-url-')), 'url');
    writeFileSync(file, `redis://:${PASSWORD}@from-file:6379\n`);
    const fromFile = resolveConfig(withRedis({ url_file: file }), {}, 'test');
    expect(fromFile.ok && fromFile.config.redis?.url).toBe(`redis://:${PASSWORD}@from-file:6379`);
    const env = { ALERTCORD_REDIS_URL: 'rediss://:p4ssword-env@from-env:6380' };
    const overridden = resolveConfig(withRedis({ url_file: file }), env, 'test');
    expect(overridden.ok && overridden.config.redis?.url).toBe(env.ALERTCORD_REDIS_URL);
    const alone = resolveConfig(base, env, 'test');
    expect(alone.ok && alone.config.redis).toEqual({ url: env.ALERTCORD_REDIS_URL, keyPrefix: 'alertcord:' });
    expect(alone.ok && configSecrets(alone.config)).toEqual(expect.arrayContaining(['p4ssword-env']));
  });

  it('lists an unreadable url_file, a non-Redis URL, both url and url_file, and neither', () => {
    const problems = (redis: Record<string, unknown>) => {
      const r = resolveConfig(withRedis(redis), {}, 'test');
      return r.ok ? [] : r.problems;
    };
    expect(problems({ url_file: '/nonexistent/redis-url' })).toEqual([
      { path: 'state.redis.url_file', message: 'cannot read: ENOENT' },
    ]);
    expect(problems({ url: 'http://redis:6379' })).toEqual([
      { path: 'state.redis.url', message: 'must be a redis:// or rediss:// URL' },
    ]);
    expect(problems({ url: 'redis://a:6379', url_file: '/x' }).map((p) => p.message)).toEqual([
      'set either url or url_file, not both',
    ]);
    expect(problems({})).toEqual([{ path: 'state.redis', message: 'needs url, url_file or ALERTCORD_REDIS_URL' }]);
  });
});
