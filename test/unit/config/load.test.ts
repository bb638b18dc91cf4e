import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedDefault, loadConfigFile, resolveConfig } from '../../../src/config/load.js';
import { FAKE_TOKEN, FAKE_WEBHOOK_URL } from '../../fixtures/index.js';
import { writeExampleConfig } from '../../support/example-config.js';

const dir = mkdtempSync(join(tmpdir(), 'alertcord-config-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('config', () => {
  it('config.example.yaml is valid with its environment and files present', () => {
    const { file, env } = writeExampleConfig(mkdtempSync(join(dir, 'example-')));
    const r = loadConfigFile(file, env);
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (r.ok) {
      expect([...r.config.targets.keys()]).toEqual([
        'fintech',
        'fintech-dr',
        'identity',
        'platform-team',
        'oncall-sre',
        'incidents',
        'preview',
      ]);
      expect(r.config.targets.get('incidents')).toMatchObject({ forum: true });
      expect(r.config.message_memory.ttl).toBe(24 * 3_600_000);
      expect(r.config.targets.get('platform-team')?.webhooks[0]?.id).toBe('123456789012345678');
      expect(r.config.targets.get('oncall-sre')?.mentions).toEqual({ roles: ['123456789012345678'], users: [] });
      expect(r.config.server.body_limit).toBe(4 * 1024 * 1024);
      expect(r.config.delivery.max_age).toBe(15 * 60_000);
      expect(r.config.routes[0]?.escalation?.steps.map((s) => s.after)).toEqual([5 * 60_000, 10 * 60_000]);
    }
  });

  it('accepts by default a body no larger than JSON.parse gets through without stalling the loop', () => {
    const r = resolveConfig({ targets: { t: { dry_run: true } }, routes: [{ targets: ['t'] }] }, {}, 't');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // docs/configuration.md: 4 MiB holds max_alerts: 3000 at 1,360 B an alert plus 4 KiB of common labels.
    expect(r.config.server.body_limit).toBe(4 * 1024 * 1024);
    expect(3000 * 1360 + 4096).toBeLessThanOrEqual(r.config.server.body_limit);
  });

  it('lists every problem as path: reason', () => {
    const r = resolveConfig(
      {
        server: { port: 'eighty' },
        delivery: { max_age: 'forever' },
        targets: { a: {}, b: { webhook_url: 'https://example.com/hook' } },
        routes: [{ targets: ['a', 'nope'] }],
        surprise: true,
      },
      {},
      'test',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const paths = r.problems.map((p) => p.path);
      expect(paths).toEqual(expect.arrayContaining(['server.port', 'delivery.max_age', 'targets.a', '(root)']));
      expect(r.problems.find((p) => p.path === 'delivery.max_age')?.message).toMatch(/not a duration/);
    }
  });

  it('cross-checks route targets and webhook URLs without echoing secrets', () => {
    const r = resolveConfig(
      {
        targets: { a: { webhook_url: `https://evil.example/api/webhooks/123456789012345678/${FAKE_TOKEN}` } },
        routes: [{ targets: ['a', 'missing'] }],
      },
      {},
      'test',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'targets.a.webhook_url' }),
          { path: 'routes[0].targets[1]', message: 'unknown target "missing"' },
        ]),
      );
      expect(JSON.stringify(r.problems)).not.toContain(FAKE_TOKEN);
    }
  });

  it('substitutes ${VAR} after parsing, so values cannot change the structure', () => {
    const file = write(
      'env.yaml',
      'targets:\n  a:\n    webhook_url: ${HOOK}\n    username: "${NAME:-Alerts}"\nroutes:\n  - targets: [a]\n',
    );
    const r = loadConfigFile(file, { HOOK: FAKE_WEBHOOK_URL });
    expect(r.ok && r.config.targets.get('a')?.username).toBe('Alerts');
    const weird = loadConfigFile(file, { HOOK: FAKE_WEBHOOK_URL, NAME: 'x"\nroutes: []' });
    expect(weird.ok && weird.config.targets.get('a')?.username).toBe('x"\nroutes: []');
    const missing = loadConfigFile(file, {});
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.problems[0]).toMatchObject({
        path: 'targets.a.webhook_url',
        message: 'environment variable HOOK is not set',
      });
  });

  it('secrets optional (check-config): unresolved ones are warnings, everything else is checked', () => {
    const raw = {
      server: { auth: { bearer_token_file: join(dir, 'no-token'), basic: { username: 'am', password: '${PW}' } } },
      targets: { a: { webhook_url: '${HOOK}' }, b: { webhook_url_files: [join(dir, 'no-url')] } },
      routes: [{ targets: ['a', 'b'] }],
    };
    const unresolved = [
      { path: 'server.auth.basic.password', message: 'environment variable PW is not set' },
      { path: 'targets.a.webhook_url', message: 'environment variable HOOK is not set' },
      { path: 'targets.b.webhook_url_files[0]', message: 'cannot read: ENOENT' },
      { path: 'server.auth.bearer_token_file', message: 'cannot read: ENOENT' },
    ];
    const optional = resolveConfig(raw, {}, 't', 'optional');
    expect(optional).toMatchObject({ ok: true, warnings: expect.arrayContaining(unresolved) });
    expect(optional.warnings).toHaveLength(unresolved.length);
    const required = resolveConfig(raw, {}, 't');
    expect(required.ok ? [] : required.problems).toEqual(expect.arrayContaining(unresolved));
    expect(required.ok ? [] : required.problems).toHaveLength(unresolved.length);
    const broken = resolveConfig({ ...raw, routes: [{ targets: ['nope'] }] }, {}, 't', 'optional');
    expect(broken).toMatchObject({
      ok: false,
      problems: [{ path: 'routes[0].targets[0]', message: 'unknown target "nope"' }],
    });
  });

  it('reads webhook_url_file and reports an unreadable one', () => {
    const good = write('url', FAKE_WEBHOOK_URL);
    const r = resolveConfig({ targets: { a: { webhook_url_file: good } }, routes: [{ targets: ['a'] }] }, {}, 't');
    expect(r.ok).toBe(true);
    const bad = resolveConfig(
      { targets: { a: { webhook_url_file: join(dir, 'nope') } }, routes: [{ targets: ['a'] }] },
      {},
      't',
    );
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(['targets.a.webhook_url_file']);
  });

  it('builds a webhook pool from every URL and file given, and names each bad one', () => {
    const url = (id: string) => FAKE_WEBHOOK_URL.replace('123456789012345678', id);
    const file = write('pool-url', url('223456789012345678'));
    const r = resolveConfig(
      {
        targets: {
          pool: {
            webhook_url: url('323456789012345678'),
            webhook_urls: [url('423456789012345678')],
            webhook_url_files: [file],
          },
          ops: { dry_run: true },
        },
        routes: [{ targets: ['pool'] }],
      },
      {},
      't',
    );
    expect(r.ok && r.config.targets.get('pool')?.webhooks.map((w) => w.id)).toEqual([
      '323456789012345678',
      '423456789012345678',
      '223456789012345678',
    ]);
    const bad = resolveConfig(
      {
        targets: {
          a: {
            webhook_urls: [url('323456789012345678'), 'https://example.com/x', url('323456789012345678')],
            webhook_url_files: [join(dir, 'missing')],
            fallback_target: 'a',
          },
          b: { dry_run: true, fallback_target: 'nope' },
        },
        routes: [{ targets: ['a'] }],
      },
      {},
      't',
    );
    expect(bad.ok ? [] : bad.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'targets.a.webhook_urls[1]' }),
        { path: 'targets.a.webhook_urls[2]', message: 'webhook 323456789012345678 is listed twice' },
        { path: 'targets.a.webhook_url_files[0]', message: 'cannot read: ENOENT' },
        { path: 'targets.a.fallback_target', message: 'must name another target' },
        { path: 'targets.b.fallback_target', message: 'unknown target "nope"' },
      ]),
    );
    expect(JSON.stringify(bad)).not.toContain(FAKE_TOKEN);
    const empty = resolveConfig({ targets: { c: { webhook_urls: [] } }, routes: [{ targets: ['c'] }] }, {}, 't');
    expect(empty.ok ? [] : empty.problems.map((p) => p.path)).toEqual(['targets.c']);
  });

  it("rate_limit defaults to Discord's observed limits and one replica", () => {
    const r = resolveConfig({ targets: { a: { dry_run: true } }, routes: [{ targets: ['a'] }] }, {}, 't');
    expect(r.ok && r.config.rate_limit).toEqual({
      replicas: 1,
      global_per_second: 50,
      channel_messages: 30,
      channel_window: 60_000,
      critical_reserve: 2,
    });
  });

  it('embedded default: dry-run without DISCORD_WEBHOOK_URL, delivery with it; env overrides', () => {
    const dry = resolveConfig(embeddedDefault({}), {}, 'embedded');
    expect(dry.ok && dry.config.targets.get('default')?.dry_run).toBe(true);
    const env = {
      DISCORD_WEBHOOK_URL: FAKE_WEBHOOK_URL,
      PORT: '1234',
      HOST: '127.0.0.1',
      DISCORD_API_BASE_URL: 'http://127.0.0.1:9',
    };
    const real = resolveConfig(embeddedDefault(env), env, 'embedded');
    expect(real.ok).toBe(true);
    if (real.ok) {
      expect(real.config.targets.get('default')?.webhooks[0]?.id).toBe('123456789012345678');
      expect(real.config.server).toMatchObject({ port: 1234, host: '127.0.0.1' });
      expect(real.config.discord.api_base_url).toBe('http://127.0.0.1:9');
    }
  });

  it('reports invalid YAML with its position', () => {
    const r = loadConfigFile(write('bad.yaml', 'targets:\n  a: [\n'), {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.message).toMatch(/invalid YAML.*line/is);
  });
});
