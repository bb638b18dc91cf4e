import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RunningService } from '../../src/main.js';
import { startEmulator, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startFromFile } from '../support/service.js';

/** A config file routing everything to one target whose URL is read from a secret file. */
function configText(secretFile: string, extra: Record<string, unknown> = {}, emulatorUrl = '') {
  return stringify({
    server: { host: '127.0.0.1', port: 0 },
    discord: { api_base_url: emulatorUrl },
    log: { level: 'info' },
    reload: { debounce: '50ms' },
    // The same fixture is posted after each reload: deduplication would swallow it.
    dedup: { window: 0 },
    targets: { team: { webhook_url_file: secretFile } },
    routes: [{ targets: ['team'] }],
    ...extra,
  });
}

describe('config reload', () => {
  let emulator: Emulator;
  let hooks: WebhookHandle[];
  let service: RunningService | undefined;
  const logs: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator();
    hooks = [emulator.createWebhook(), emulator.createWebhook(), emulator.createWebhook()];
  });
  afterEach(async () => {
    await service?.shutdown();
    service = undefined;
    logs.length = 0;
  });
  afterAll(async () => {
    await emulator.close();
  });

  async function start(file: string) {
    service = await startFromFile(file, logs);
    return service;
  }
  const post = (s: RunningService, body: unknown = fixture('firing')) =>
    fetch(`${s.url}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const metric = async (s: RunningService, name: string) =>
    (await s.metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value;
  const reloads = () => logs.filter((l) => l.includes('"config reloaded"')).length;

  it('rotates a webhook URL from its secret file without a restart, and rejects an invalid config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alertcord-reload-'));
    const secret = join(dir, 'webhook-url');
    writeFileSync(secret, hooks[0]!.url);
    const file = join(dir, 'config.yaml');
    writeFileSync(file, configText(secret, {}, emulator.url));
    const s = await start(file);
    expect(await metric(s, 'alertcord_config_last_reload_success')).toBe(1);
    const startedAt = await metric(s, 'alertcord_config_last_reload_success_timestamp_seconds');

    expect((await post(s)).status).toBe(200);
    await eventually(() => expect(emulator.messagesFor(hooks[0]!.id)).toHaveLength(1));

    writeFileSync(secret, `${hooks[1]!.url}\n`);
    await eventually(() => expect(reloads()).toBeGreaterThanOrEqual(1));
    expect(await metric(s, 'alertcord_config_last_reload_success_timestamp_seconds')).toBeGreaterThanOrEqual(
      startedAt!,
    );
    expect((await post(s)).status).toBe(200);
    await eventually(() => expect(emulator.messagesFor(hooks[1]!.id)).toHaveLength(1));

    // An invalid config (unknown target, unknown template) is refused; the running one stays.
    writeFileSync(
      file,
      configText(
        secret,
        { targets: { team: { webhook_url_file: secret, template: 'nope' } }, routes: [{ targets: ['x'] }] },
        emulator.url,
      ),
    );
    expect(s.reload('test')).toBe(false);
    expect(await metric(s, 'alertcord_config_last_reload_success')).toBe(0);
    const rejection = logs.find((l) => l.includes('config reload rejected'));
    expect(rejection).toContain('routes[0].targets[0]: unknown target');
    expect((await post(s)).status).toBe(200);
    await eventually(() => expect(emulator.messagesFor(hooks[1]!.id)).toHaveLength(2));
    expect(emulator.messagesFor(hooks[0]!.id)).toHaveLength(1);
    expect(logs.join('\n')).not.toContain(hooks[1]!.token);
  });

  it('brings back a target whose webhook was found gone once a reload corrects its URL', async () => {
    const hook = emulator.createWebhook();
    const dir = mkdtempSync(join(tmpdir(), 'alertcord-revive-'));
    const secret = join(dir, 'webhook-url');
    // A mistyped token: Discord answers 401 50027 and the target loses its only webhook.
    writeFileSync(secret, hook.url.replace(hook.token, 'W'.repeat(68)));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, configText(secret, {}, emulator.url));
    const s = await start(file);
    const removed = async () => metric(s, 'alertcord_webhooks_removed_total');
    expect((await post(s)).status).toBe(200);
    await eventually(async () => expect(await removed()).toBe(1));
    await eventually(() => expect(s.delivery.deadLetters.list().map((d) => d.reason)).toEqual(['webhook_gone']));

    // The same webhook with its right token: a reload revives the target.
    writeFileSync(secret, hook.url);
    expect(s.reload('test')).toBe(true);
    expect((await post(s)).status).toBe(200);
    await eventually(() => expect(emulator.messagesFor(hook.id)).toHaveLength(1));

    // Deleted in Discord (404 10015): gone again; a reload with a new webhook's URL revives it.
    emulator.deleteWebhook(hook.id);
    expect((await post(s)).status).toBe(200);
    await eventually(() => expect(s.delivery.deadLetters.list()).toHaveLength(2));
    const replacement = emulator.createWebhook();
    writeFileSync(secret, replacement.url);
    expect(s.reload('test')).toBe(true);
    expect((await post(s)).status).toBe(200);
    await eventually(() => expect(emulator.messagesFor(replacement.id)).toHaveLength(1));
    expect(s.delivery.deadLetters.list().map((d) => d.reason)).toEqual(['webhook_gone', 'webhook_gone']);
    expect(logs.join('\n')).not.toContain(hook.token);
  });

  it('reloads a changed template from templates.dir; a broken template is refused and the old one serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alertcord-templates-'));
    const templates = join(dir, 'templates');
    mkdirSync(templates);
    const template = (content: string) => writeFileSync(join(templates, 'short.yaml'), `content: '${content}'\n`);
    template('first version');
    const secret = join(dir, 'webhook-url');
    writeFileSync(secret, hooks[0]!.url);
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      configText(
        secret,
        { templates: { dir: templates }, targets: { team: { webhook_url_file: secret, template: 'short' } } },
        emulator.url,
      ),
    );
    const s = await start(file);
    const contents = () => emulator.messagesFor(hooks[0]!.id).map((m) => m.body.content as string);
    const before = contents().length;

    template('second version');
    await eventually(() => expect(reloads()).toBeGreaterThanOrEqual(1));
    expect((await post(s)).status).toBe(200);
    await eventually(() => expect(contents().slice(before)).toEqual(['second version']));

    template('{{#if}}broken');
    expect(s.reload('test')).toBe(false);
    expect(logs.find((l) => l.includes('config reload rejected'))).toContain('short.yaml');
    expect((await post(s)).status).toBe(200);
    await eventually(() => expect(contents().slice(before)).toEqual(['second version', 'second version']));
  });

  it('follows a Kubernetes ConfigMap update (..data symlink swapped by rename); queued messages keep their target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alertcord-k8s-'));
    const secrets = join(dir, 'secrets');
    mkdirSync(secrets);
    writeFileSync(join(secrets, 'a'), hooks[0]!.url);
    writeFileSync(join(secrets, 'c'), hooks[2]!.url);
    const version = (name: string, secret: string) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'config.yaml'), configText(join(secrets, secret), {}, emulator.url));
    };
    version('..2026_01_01', 'a');
    symlinkSync('..2026_01_01', join(dir, '..data'));
    symlinkSync(join('..data', 'config.yaml'), join(dir, 'config.yaml'));
    const s = await start(join(dir, 'config.yaml'));

    const before = emulator.messagesFor(hooks[0]!.id).length;
    emulator.setFaults({ latencyMs: 400 });
    expect((await post(s)).status).toBe(200);
    version('..2026_01_02', 'c');
    symlinkSync('..2026_01_02', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    await eventually(() => expect(reloads()).toBeGreaterThanOrEqual(1));
    emulator.setFaults({});
    expect((await post(s)).status).toBe(200);

    await eventually(() => {
      expect(emulator.messagesFor(hooks[0]!.id)).toHaveLength(before + 1);
      expect(emulator.messagesFor(hooks[2]!.id)).toHaveLength(1);
    });
  });
});
