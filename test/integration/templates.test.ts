/**
 * Templates as a user meets them: the worked example of docs/templates.md (copy default, change the
 * title, add a field, preview, deliver), broken templates refused at load with their place,
 * and a template that throws at runtime still delivering through the default.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startTestService, testConfig } from '../support/service.js';
import { templateDir } from '../support/templates.js';

const CLI = 'dist/cli.js';
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !['DISCORD_WEBHOOK_URL', 'ALERTCORD_CONFIG'].includes(k)),
);
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { env: { ...cleanEnv, ...env }, encoding: 'utf8' });

interface Embed {
  title?: string;
  fields?: { name: string; value: string }[];
}

/** docs/templates.md "A worked example", step 1 and 2: copy default, change the title, add a field. */
function customisedDefault(): string {
  const original = readFileSync('templates/default.yaml', 'utf8');
  const title = /^ {4}title: .*$/m;
  const namespaceField = /( {6}- name: Namespace\n.*\n.*\n)/;
  expect(original).toMatch(title);
  expect(original).toMatch(namespaceField);
  return original
    .replace(title, `    title: '{{severityEmoji severity status}} {{labels.alertname}} on {{labels.instance}}'`)
    .replace(
      namespaceField,
      `$1      - name: Team\n        value: '{{default labels.team "unowned"}}'\n        inline: true\n`,
    );
}

function expectCustomised(embed: Embed | undefined): void {
  expect(embed?.title).toBe('🔴 HighErrorRate on pay-1:8080');
  expect(embed?.fields?.map((f) => f.name)).toEqual(['Instance', 'Service', 'Namespace', 'Team', 'Started', 'Links']);
  expect(embed?.fields?.[3]?.value).toBe('unowned');
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

describe('the worked example', () => {
  const dir = templateDir({ 'payments.yaml': customisedDefault() });
  const hookUrl = 'https://discord.com/api/webhooks/123456789012345678/' + 'x'.repeat(68);
  const configFile = join(templateDir({}), 'alertcord.yaml');
  writeFileSync(
    configFile,
    [
      'templates:',
      `  dir: ${dir}`,
      'targets:',
      '  payments:',
      '    webhook_url: ${PAYMENTS_WEBHOOK_URL}',
      '    template: payments',
      'routes:',
      '  - targets: [payments]',
      '',
    ].join('\n'),
  );
  const env = { PAYMENTS_WEBHOOK_URL: hookUrl };

  it('check-config accepts it and lists the new template', () => {
    const r = run(['check-config', configFile], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('templates: cards, cards-digest, compact, default, minimal, payments');
  });

  it('render previews exactly what would be sent', () => {
    const r = run(
      ['render', '--config', configFile, '--template', 'payments', '--payload', 'samples/firing.json'],
      env,
    );
    expect(r.status).toBe(0);
    const messages = JSON.parse(r.stdout) as { embeds: Embed[] }[];
    expectCustomised(messages[0]?.embeds[0]);
    // Both alerts of the fixture share one generator url: the second embed's gets a marker.
    expect(r.stderr).toBe('cut: embeds[1].url: replaced (url distinct per message)\n1 message(s), 1 cut(s)\n');
  });

  it('a target using it delivers the customised message', async () => {
    const hook = emulator.createWebhook();
    const service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        templates: { dir },
        targets: { payments: { webhook_url: hook.url, template: 'payments' } },
        routes: [{ targets: ['payments'] }],
      }),
    );
    try {
      expect((await service.post(fixture('firing'))).status).toBe(200);
      const [message] = await eventually(() => {
        const m = emulator.messagesFor(hook.id);
        expect(m).toHaveLength(1);
        return m;
      });
      expectCustomised((message?.body as { embeds: Embed[] }).embeds[0]);
    } finally {
      await service.shutdown();
    }
  });
});

describe('render', () => {
  it('lists every limit that forced a cut', () => {
    const r = run(['render', '--template', 'default', '--payload', 'test/fixtures/huge-annotations.json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('cut: embeds[0].description: truncated (description 4096)');
    expect(r.stderr).toContain('cut: messages: split (embeds 10 / total 6000 per message)');
    expect(r.stderr).toMatch(/^3 message\(s\), \d+ cut\(s\)$/m);
  });
});

describe('broken templates are refused at load', () => {
  const dir = templateDir({
    'broken.yaml': [
      'embeds:',
      '  - for_each: alerts',
      '    title: "{{labels.alertname}"',
      '    fields:',
      '      - name: Owner',
      "        value: '{{teamOf labels}}'",
    ].join('\n'),
  });
  const configFile = join(templateDir({}), 'alertcord.yaml');
  writeFileSync(
    configFile,
    `templates:\n  dir: ${dir}\ntargets:\n  a:\n    dry_run: true\nroutes:\n  - targets: [a]\n`,
  );
  const file = join(dir, 'broken.yaml');

  it('check-config names each problem with file:line:column and exits 1', () => {
    const r = run(['check-config', configFile]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:3:31: embeds[0].title: syntax error: found`);
    expect(r.stderr).toContain(`${file}:6:17: embeds[0].fields[0].value: unknown helper "teamOf"`);
  });

  it('serve refuses to start', () => {
    const r = run(['serve', '--config', configFile], { PORT: '0', HOST: '127.0.0.1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:6:17: embeds[0].fields[0].value: unknown helper "teamOf"`);
  });
});

describe('a template that throws at runtime', () => {
  it('is rendered with the default instead: delivered, counted, logged', async () => {
    const hook = emulator.createWebhook();
    const service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        templates: { dir: templateDir({ 'fragile.yaml': 'content: "{{#with}}never{{/with}}"\n' }) },
        targets: { team: { webhook_url: hook.url, template: 'fragile' } },
        routes: [{ targets: ['team'] }],
      }),
    );
    try {
      expect((await service.post(fixture('firing'))).status).toBe(200);
      const [message] = await eventually(() => {
        const m = emulator.messagesFor(hook.id);
        expect(m).toHaveLength(1);
        return m;
      });
      expect((message?.body as { embeds: Embed[] }).embeds[0]?.title).toBe('🔴 CRITICAL · HighErrorRate');
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toContain('alertcord_template_errors_total{template="fragile"} 1');
      expect(service.logs.join('\n')).toContain('#with requires exactly one argument');
    } finally {
      await service.shutdown();
    }
  });
});
