import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/main.js';
import { startFromFile } from '../support/service.js';
import { FAKE_TOKEN, FAKE_WEBHOOK_URL } from '../fixtures/index.js';

/*
 * Secrets of the config never leave the process: not through a YAML error that would quote
 * their line, not through a log line that happens to carry one, not through the status API.
 */
const OLD = 'old-receiver-token-0123456789';
const NEW = 'new-receiver-token-9876543210';
const dir = mkdtempSync(join(tmpdir(), 'alertcord-secrets-'));
const secretFile = join(dir, 'webhook-url');
writeFileSync(secretFile, `${FAKE_WEBHOOK_URL}\n`);

const config = (token: string) =>
  [
    `server: { host: 127.0.0.1, port: 0, auth: { bearer_token: "${token}" } }`,
    'reload: { watch: false }',
    `targets: { team: { webhook_url_file: ${secretFile} } }`,
    'routes: [{ targets: [team] }]',
  ].join('\n');
/** A tab indents the token's line: the parser's pretty error would print that very line. */
const brokenOn = (token: string) => `server:\n  auth:\n\tbearer_token: ${token}\ntargets: {}\n`;

describe('config secrets stay inside', () => {
  let service: RunningService | undefined;
  const logs: string[] = [];
  afterEach(async () => {
    await service?.shutdown();
    service = undefined;
    logs.length = 0;
  });

  async function start(file: string) {
    service = await startFromFile(file, logs);
    return service;
  }
  const status = async (s: RunningService, token: string) => {
    const res = await fetch(`${s.url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('a YAML error on a line holding a token: line and column only, in logs, stderr and status', async () => {
    const file = join(dir, 'yaml-error.yaml');
    writeFileSync(file, config(OLD));
    const s = await start(file);
    writeFileSync(file, brokenOn(NEW));
    expect(s.reload('test')).toBe(false);
    const text = await status(s, OLD);
    expect(text).toContain('invalid YAML: line 3, column 1: Tabs are not allowed as indentation');
    expect(logs.join('\n')).toContain('line 3, column 1');
    for (const out of [text, logs.join('\n')]) expect(out).not.toContain(NEW);

    const cli = spawnSync(process.execPath, ['dist/cli.js', 'check-config', file], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('line 3, column 1');
    expect(cli.stderr + cli.stdout).not.toContain(NEW);
  });

  it('a log line carrying a secret value gets it redacted, with the secrets of the running config', async () => {
    const file = join(dir, 'log-line.yaml');
    writeFileSync(file, config(OLD));
    const s = await start(file);
    s.log.info({ note: `token ${OLD} and webhook token ${FAKE_TOKEN}` }, `said ${OLD}`);
    expect(logs.join('\n')).toContain('token *** and webhook token ***');
    writeFileSync(file, config(NEW));
    expect(s.reload('rotate')).toBe(true);
    s.log.info({ note: `rotated to ${NEW}` }, 'rotated');
    const all = logs.join('\n');
    expect(all).toContain('rotated to ***');
    for (const secret of [OLD, NEW, FAKE_TOKEN]) expect(all).not.toContain(secret);
  });

  it('a rejected config quoting a secret in a value has it redacted from the status text', async () => {
    const file = join(dir, 'quoted.yaml');
    writeFileSync(file, config(OLD));
    const s = await start(file);
    // The running token pasted into a duration by mistake: the error quotes the value.
    writeFileSync(file, `${config(OLD)}\ndedup: { window: "${OLD}" }\n`);
    expect(s.reload('test')).toBe(false);
    const text = await status(s, OLD);
    expect(text).toContain('dedup.window: \\"***\\" is not a duration');
    expect(text + logs.join('\n')).not.toContain(OLD);
  });
});
