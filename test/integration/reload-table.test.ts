import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RELOAD_TABLE } from '../../src/config/reload-table.js';
import type { RunningService } from '../../src/main.js';
import { startEmulator, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startFromFile } from '../support/service.js';

type Raw = Record<string, Record<string, unknown> | unknown[]>;

interface Case {
  /** The config before the reload (over the base) and the change the reload brings. */
  before?: (raw: Raw) => void;
  change: (raw: Raw) => void;
  /** Live keys: passes once the change took effect in the running service. */
  applied?: (s: RunningService) => Promise<void>;
}

/** Every entry of the reload table (`section`, `section.key`): a change of it, and for live ones its effect. */
interface Context {
  emulator: Emulator;
  hooks: () => WebhookHandle[];
  /** The case's directory, and the config text last written to its config.yaml. */
  dir: () => string;
  text: () => string;
  logs: string[];
}

function cases(ctx: Context): Record<string, Case> {
  const post = (s: RunningService, headers: Record<string, string> = {}, groupKey = 'reload-table') =>
    fetch(`${s.url}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ ...(fixture('firing') as object), groupKey }),
    });
  const posted = (hook: WebhookHandle) => ctx.emulator.messagesFor(hook.id).map((m) => m.body);
  const contentAfterPost = async (s: RunningService, expected: string) => {
    expect((await post(s)).status).toBe(200);
    await eventually(() => expect(posted(ctx.hooks()[0]!).map((b) => b.content)).toContain(expected));
  };
  const templates = (name: string, files: Record<string, string>) => {
    const dir = join(ctx.dir(), name);
    mkdirSync(dir);
    for (const [file, content] of Object.entries(files))
      writeFileSync(join(dir, `${file}.yaml`), `content: '${content}'\n`);
    return dir;
  };
  /** A channel that takes one message per 100 ms: a few groups at once are a storm for a 1 ms bound. */
  const storm = async (s: RunningService, expected: string) => {
    for (const g of ['a', 'b', 'c']) expect((await post(s, {}, `storm-${g}`)).status).toBe(200);
    await eventually(() => expect(posted(ctx.hooks()[0]!).map((b) => b.content)).toContain(expected));
  };
  const slowChannel = { channel_messages: 1, channel_window: '100ms', critical_reserve: 0 };
  const section = (raw: Raw, key: string) => (raw[key] ??= {}) as Record<string, unknown>;
  const targets = (raw: Raw) => raw.targets as Record<string, Record<string, unknown>>;
  return {
    server: { change: (r) => void (section(r, 'server').body_limit = '1MiB') },
    'server.auth': {
      change: (r) => void (section(r, 'server').auth = { bearer_token: 'reload-table-token' }),
      applied: async (s) => {
        expect((await post(s)).status).toBe(401);
        expect((await post(s, { authorization: 'Bearer reload-table-token' })).status).toBe(200);
      },
    },
    discord: { change: (r) => void (section(r, 'discord').request_timeout = '5s') },
    delivery: { change: (r) => void (section(r, 'delivery').max_attempts = 3) },
    'delivery.digest_after': {
      before: (r) => {
        section(r, 'templates').dir = templates('digest-after', { rich: 'rich', storm: 'storm' });
        Object.assign(section(r, 'delivery'), { digest_after: 0, digest_template: 'storm' });
        r.rate_limit = slowChannel;
        targets(r).team!.template = 'rich';
      },
      change: (r) => void (section(r, 'delivery').digest_after = '1ms'),
      applied: (s) => storm(s, 'storm'),
    },
    'delivery.digest_template': {
      before: (r) => {
        section(r, 'templates').dir = templates('digest-template', { rich: 'rich', a: 'digest a', b: 'digest b' });
        Object.assign(section(r, 'delivery'), { digest_after: '1ms', digest_template: 'a' });
        r.rate_limit = slowChannel;
        targets(r).team!.template = 'rich';
      },
      change: (r) => void (section(r, 'delivery').digest_template = 'b'),
      applied: (s) => storm(s, 'digest b'),
    },
    rate_limit: { change: (r) => void (section(r, 'rate_limit').replicas = 2) },
    templates: {
      before: (r) => {
        section(r, 'templates').dir = templates('v1', { short: 'first version' });
        targets(r).team!.template = 'short';
      },
      change: (r) => void (section(r, 'templates').dir = templates('v2', { short: 'second version' })),
      applied: (s) => contentAfterPost(s, 'second version'),
    },
    log: {
      change: (r) => void (section(r, 'log').level = 'debug'),
      applied: async (s) => expect(s.log.level).toBe('debug'),
    },
    dedup: { change: (r) => void (section(r, 'dedup').window = '1m') },
    message_memory: { change: (r) => void (section(r, 'message_memory').ttl = '1h') },
    ui: {
      change: (r) => void (section(r, 'ui').enabled = false),
      applied: async (s) => expect((await fetch(`${s.url}/ui/`)).status).toBe(404),
    },
    heartbeat: { change: (r) => void (r.heartbeat = { target: 'team' }) },
    state: { change: (r) => void (r.state = { redis: { url: 'redis://127.0.0.1:1/0' } }) },
    reload: {
      before: (r) => void (section(r, 'reload').watch = false),
      change: (r) => void (section(r, 'reload').watch = true),
      applied: async () => {
        // Now watched: a write to the file alone reloads.
        const reloads = () => ctx.logs.filter((l) => l.includes('"config reloaded"')).length;
        const before = reloads();
        writeFileSync(join(ctx.dir(), 'config.yaml'), `${ctx.text()}\n# touched\n`);
        await eventually(() => expect(reloads()).toBeGreaterThan(before));
      },
    },
    severities: {
      change: (r) => void (r.severities = { critical: { priority: 'critical', color: '#123456', emoji: 'X' } }),
      applied: async (s) => {
        expect((await post(s)).status).toBe(200);
        await eventually(() =>
          expect(
            posted(ctx.hooks()[0]!).map((b) => (b.embeds as { color?: number }[] | undefined)?.[0]?.color),
          ).toContain(0x123456),
        );
      },
    },
    targets: {
      change: (r) => void (targets(r).team!.webhook_url = ctx.hooks()[1]!.url),
      applied: async (s) => {
        expect((await post(s)).status).toBe(200);
        await eventually(() => expect(posted(ctx.hooks()[1]!)).toHaveLength(1));
      },
    },
    routes: {
      before: (r) => void (targets(r).other = { webhook_url: ctx.hooks()[1]!.url }),
      change: (r) => void (r.routes = [{ targets: ['other'] }]),
      applied: async (s) => {
        expect((await post(s)).status).toBe(200);
        await eventually(() => expect(posted(ctx.hooks()[1]!)).toHaveLength(1));
        expect(posted(ctx.hooks()[0]!)).toHaveLength(0);
      },
    },
  };
}

const tableKeys = Object.entries(RELOAD_TABLE).flatMap(([top, rule]) => [
  top,
  ...Object.keys(rule.keys ?? {}).map((k) => `${top}.${k}`),
]);

describe('the reload table', () => {
  let emulator: Emulator;
  let service: RunningService | undefined;
  let hooks: WebhookHandle[] = [];
  let dir = '';
  let text = '';
  const logs: string[] = [];
  const all = () => cases({ emulator, hooks: () => hooks, dir: () => dir, text: () => text, logs });

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await service?.shutdown();
    service = undefined;
    logs.length = 0;
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('has a change (and, when live, an effect) for every entry, and nothing else', () => {
    const defined = all();
    expect(Object.keys(defined).sort()).toEqual([...tableKeys].sort());
    for (const key of tableKeys) {
      const rule = key.includes('.')
        ? (RELOAD_TABLE as Record<string, { keys?: Record<string, { mode: string }> }>)[key.split('.')[0]!]!.keys![
            key.split('.')[1]!
          ]!
        : RELOAD_TABLE[key as keyof typeof RELOAD_TABLE];
      expect(defined[key]!.applied !== undefined, key).toBe(rule.mode === 'live');
    }
  });

  it.each(tableKeys)('%s: a reload applies it, or reports it as waiting for a restart', async (key) => {
    hooks = [emulator.createWebhook(), emulator.createWebhook()];
    dir = mkdtempSync(join(tmpdir(), 'alertcord-reload-table-'));
    const c = all()[key]!;
    const raw: Raw = {
      server: { host: '127.0.0.1', port: 0 },
      discord: { api_base_url: emulator.url },
      log: { level: 'info' },
      reload: { debounce: '50ms' },
      dedup: { window: 0 },
      targets: { team: { webhook_url: hooks[0]!.url } },
      routes: [{ targets: ['team'] }],
    };
    c.before?.(raw);
    const file = join(dir, 'config.yaml');
    writeFileSync(file, (text = stringify(raw)));
    service = await startFromFile(file, logs);
    // The token of the server.auth case; without auth configured it is not looked at.
    const status = async () =>
      (await (
        await fetch(`${service!.url}/api/v1/status`, { headers: { authorization: 'Bearer reload-table-token' } })
      ).json()) as StatusBody;

    c.change(raw);
    writeFileSync(file, (text = stringify(raw)));
    expect(service.reload('test')).toBe(true);
    const pending = (await status()).config.restartPending;
    if (c.applied) {
      expect(pending).toEqual([]);
      await c.applied(service);
    } else {
      expect(pending.length).toBeGreaterThan(0);
      expect(pending.every((k) => k === key || k.startsWith(`${key}.`))).toBe(true);
      expect(logs.find((l) => l.includes('take effect after a restart'))).toContain(pending[0]);
    }
  });
});

interface StatusBody {
  config: { restartPending: string[] };
}
