import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { fixturePath } from '../fixtures/index.js';
import { writeExampleConfig } from '../support/example-config.js';
import { eventually } from '../support/service.js';

const CLI = 'dist/cli.js';
const dir = mkdtempSync(join(tmpdir(), 'alertcord-cli-'));
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !['DISCORD_WEBHOOK_URL', 'ALERTCORD_CONFIG', 'DISCORD_API_BASE_URL', 'PORT', 'HOST'].includes(k),
  ),
);

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { env: { ...cleanEnv, ...env }, encoding: 'utf8' });
}

interface Running {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  url: string;
}

async function serve(env: Record<string, string>, nodeArgs: string[] = []): Promise<Running> {
  const child = spawn(process.execPath, [...nodeArgs, CLI], {
    env: { ...cleanEnv, PORT: '0', HOST: '127.0.0.1', ...env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => stdout.push(d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
  const url = await eventually(() => {
    const line = stderr
      .join('')
      .split('\n')
      .find((l) => l.includes('alertcord listening'));
    if (!line) throw new Error(`not listening yet: ${stderr.join('')}`);
    return (JSON.parse(line) as { url: string }).url;
  });
  return { child, stdout, stderr, url };
}

async function stop(r: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => r.child.once('exit', (code) => resolve(code)));
  r.child.kill('SIGTERM');
  return exited;
}

const post = (url: string, file: string) =>
  fetch(`${url}/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: readFixture(file) });
const readFixture = (name: string) => readFileSync(fixturePath(name), 'utf8');

describe('alertcord command', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('serve without a webhook: dry-run prints each message as one JSON line and says so', async () => {
    const r = await serve({});
    try {
      await eventually(() => expect(r.stderr.join('')).toContain('DRY-RUN'));
      expect((await post(r.url, 'firing')).status).toBe(200);
      const line = await eventually(() => {
        const l = r.stdout
          .join('')
          .split('\n')
          .find((x) => x.startsWith('{'));
        if (!l) throw new Error('nothing printed yet');
        return l;
      });
      const printed = JSON.parse(line) as { dry_run: boolean; message: { embeds: { title: string }[] } };
      expect(printed.dry_run).toBe(true);
      expect(printed.message.embeds[0]?.title).toContain('HighErrorRate');
    } finally {
      expect(await stop(r)).toBe(0);
    }
  });

  it('serve with DISCORD_WEBHOOK_URL and DISCORD_API_BASE_URL delivers, and never prints the token', async () => {
    const hook = emulator.createWebhook();
    const r = await serve({ DISCORD_WEBHOOK_URL: hook.url, DISCORD_API_BASE_URL: emulator.url });
    try {
      expect((await post(r.url, 'firing')).status).toBe(200);
      await eventually(() => expect(emulator.messagesFor(hook.id)).toHaveLength(1));
    } finally {
      expect(await stop(r)).toBe(0);
    }
    expect([...r.stdout, ...r.stderr].join('')).not.toContain(hook.token);
  });

  it('serve logs a stray promise rejection, without the token it carries, and keeps serving', async () => {
    const token = `STRAY-token-${'q'.repeat(56)}`;
    // A rejection nobody handles, on SIGUSR2: Node alone would exit with it. The token is built
    // at run time, so the script's own source (in the stack) does not hold it.
    const stray =
      "process.on('SIGUSR2', () => Promise.reject(new Error('lost https://discord.com/api/webhooks/123456789/' + " +
      "'STRAY-token-' + 'q'.repeat(56))));";
    const r = await serve({}, ['--import', `data:text/javascript,${encodeURIComponent(stray)}`]);
    r.child.kill('SIGUSR2');
    await eventually(() => expect(r.stderr.join('')).toContain('unhandled promise rejection; still running'));
    expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
    expect(r.child.exitCode).toBe(null);
    expect(r.stderr.join('')).not.toContain(token);
    expect(await stop(r)).toBe(0);
  });

  it('serve refuses to start with an invalid config, listing every problem', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'server:\n  port: high\ntargets:\n  a:\n    webhook_url: https://example.com/x\nroutes:\n  - targets: [b]\n',
    );
    const r = run(['--config', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('server.port:');
  });

  it('check-config: 0 for the example, 1 with path: reason for a broken file', () => {
    const { file: example, env } = writeExampleConfig(mkdtempSync(join(dir, 'example-')));
    const good = run(['check-config', example], env);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('OK');

    const bad = join(dir, 'bad2.yaml');
    writeFileSync(
      bad,
      [
        'targets:',
        '  a:',
        '    dry_run: true',
        '    template: nope',
        '    active_hours: { time_zone: Mars/Olympus, times: [{ start_time: "18:00", end_time: "08:00" }], outside: hold }',
        'routes:',
        "  - matchers: ['service=~\"(pay\"', 'team=\"x']",
        '    targets: [a]',
        '    escalation: { steps: [{ after: 5m, targets: [b] }] }',
        '',
      ].join('\n'),
    );
    const r = run(['check-config', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('targets.a.active_hours.time_zone: unknown time zone');
    expect(r.stderr).toContain('targets.a.active_hours.times[0].end_time: start_time must be before end_time');
    expect(r.stderr).toContain('routes[0].matchers[0]: invalid regular expression');
    expect(r.stderr).toContain('routes[0].matchers[1]: missing closing double quote');
    const crossChecked = join(dir, 'bad3.yaml');
    writeFileSync(
      crossChecked,
      'targets:\n  a: { dry_run: true }\nroutes:\n  - targets: [a]\n    escalation: { steps: [{ after: 5m, targets: [b] }] }\n',
    );
    const r3 = run(['check-config', crossChecked]);
    expect(r3.status).toBe(1);
    expect(r3.stderr).toContain('routes[0].escalation.steps[0].targets[0]: unknown target "b"');
    const unknownTemplate = join(dir, 'bad4.yaml');
    writeFileSync(
      unknownTemplate,
      'targets:\n  a:\n    dry_run: true\n    template: nope\nroutes:\n  - targets: [a]\n',
    );
    const r4 = run(['check-config', unknownTemplate]);
    expect(r4.status).toBe(1);
    expect(r4.stderr).toContain('targets.a.template: unknown template "nope"');
  });

  describe('config.example.yaml as a fresh clone has it: no variables, no secret files', () => {
    const unresolved = [
      'targets.fintech.webhook_url: environment variable FINTECH_WEBHOOK_URL is not set',
      'targets.identity.webhook_url: environment variable IDENTITY_WEBHOOK_URL is not set',
      ...['fintech-dr', 'platform-team', 'oncall-sre', 'incidents'].map(
        (t) => `targets.${t}.webhook_url_file: cannot read: ENOENT`,
      ),
    ];
    /** Each unresolved secret on a line of its own, after the prefix. */
    const expectNamesEach = (stderr: string, prefix: string) => {
      const lines = stderr.split('\n');
      for (const u of unresolved) expect(lines).toContain(`${prefix}${u}`);
    };

    it('check-config checks all but the secrets: warnings, OK, exit 0', () => {
      const r = run(['check-config', 'config.example.yaml']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('config.example.yaml: OK (7 targets');
      expectNamesEach(r.stderr, 'warning: ');
      // An unset variable's field is not parsed: no second complaint about its URL.
      expect(r.stderr).not.toContain('is not a Discord webhook URL');
    });

    it('check-config still fails on a real problem, listing the warnings too', () => {
      const file = join(dir, 'example-broken.yaml');
      writeFileSync(file, readFileSync('config.example.yaml', 'utf8').replace('window: 5m', 'window: 5 minutes'));
      const r = run(['check-config', file]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('dedup.window: "5 minutes" is not a duration');
      // Secret files are read only once the file's shape is valid; the variables are known.
      for (const u of unresolved.slice(0, 2)) expect(r.stderr.split('\n')).toContain(`warning: ${u}`);
    });

    it('check-config --strict requires the secrets: exit 1 naming each', () => {
      const r = run(['check-config', '--strict', 'config.example.yaml']);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toContain('warning:');
      expectNamesEach(r.stderr, '');
    });

    it('serve refuses to start without them', () => {
      const r = run(['--config', 'config.example.yaml']);
      expect(r.status).toBe(1);
      expectNamesEach(r.stderr, '');
    });
  });

  it('serve reloads on SIGHUP, and keeps running on an invalid config', async () => {
    const file = join(dir, 'hup.yaml');
    const config = (target: string) =>
      `reload: { watch: false }\ntargets:\n  ${target}: { dry_run: true }\nroutes:\n  - targets: [${target}]\n`;
    writeFileSync(file, config('before'));
    const r = await serve({ ALERTCORD_CONFIG: file });
    try {
      // Answered requests mean start-up is over, signal handlers included.
      expect(await (await post(r.url, 'firing')).json()).toMatchObject({ targets: ['before'] });
      writeFileSync(file, config('after'));
      r.child.kill('SIGHUP');
      await eventually(() =>
        expect(r.stderr.join('')).toMatch(/"trigger":"SIGHUP".*"targets":\["after"\].*config reloaded/),
      );
      writeFileSync(file, 'routes: []\n');
      r.child.kill('SIGHUP');
      await eventually(() => expect(r.stderr.join('')).toContain('config reload rejected'));
      const res = await post(r.url, 'firing');
      expect(await res.json()).toMatchObject({ targets: ['after'] });
    } finally {
      expect(await stop(r)).toBe(0);
    }
  });

  it('SIGTERM mid-backlog: drains until the deadline, dead-letters the rest with their alerts, exits 0', async () => {
    const slow = await startEmulator({ channelLimit: { limit: 2, windowMs: 1500 } });
    const hook = slow.createWebhook();
    const file = join(dir, 'drain.yaml');
    writeFileSync(
      file,
      [
        'rate_limit: { channel_messages: 2, channel_window: 1500ms, critical_reserve: 0 }',
        // One request per message, so the backlog outlasts the deadline.
        'delivery: { drain_timeout: 2s, pack: false }',
        `targets: { t: { webhook_url: "${hook.url}" } }`,
        'routes: [{ targets: [t] }]',
      ].join('\n'),
    );
    const r = await serve({ ALERTCORD_CONFIG: file, DISCORD_API_BASE_URL: slow.url });
    try {
      for (let i = 0; i < 8; i++) {
        const body = JSON.parse(readFixture('firing')) as { groupKey: string; alerts: { fingerprint: string }[] };
        body.groupKey = `drain-${i}`;
        body.alerts.forEach((a, j) => (a.fingerprint = `drain${i}x${j}`));
        const res = await fetch(`${r.url}/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
      }
      await eventually(() => expect(slow.messages).toHaveLength(2));
      const signalled = Date.now();
      const code = await stop(r);
      const took = Date.now() - signalled;
      expect(code).toBe(0);
      expect(took).toBeGreaterThanOrEqual(1900);
      expect(took).toBeLessThan(6000);
      // The window reopened during the drain: more went out after the signal.
      expect(slow.messages.length).toBeGreaterThan(2);
      const letters = r.stderr
        .join('')
        .split('\n')
        .filter((l) => l.includes('message dead-lettered'))
        .map(
          (l) => (JSON.parse(l) as { deadLetter: { reason: string; alerts: { fingerprint: string }[] } }).deadLetter,
        );
      expect(letters.length).toBe(8 - slow.messages.length);
      expect(letters.every((d) => d.reason === 'shutdown')).toBe(true);
      expect(letters[0]?.alerts.map((a) => a.fingerprint)).toEqual([
        expect.stringMatching(/^drain\dx0$/),
        expect.stringMatching(/^drain\dx1$/),
      ]);
    } finally {
      r.child.kill('SIGKILL');
      await slow.close();
    }
  });

  it('a second signal exits at once', async () => {
    const slow = await startEmulator({ channelLimit: { limit: 1, windowMs: 60_000 } });
    const hook = slow.createWebhook();
    const r = await serve({ DISCORD_WEBHOOK_URL: hook.url, DISCORD_API_BASE_URL: slow.url });
    try {
      for (let i = 0; i < 3; i++) {
        const body = JSON.parse(readFixture('firing')) as { groupKey: string };
        body.groupKey = `second-${i}`;
        await fetch(`${r.url}/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      }
      await eventually(() => expect(slow.messages).toHaveLength(1));
      const exited = new Promise<number | null>((resolve) => r.child.once('exit', (code) => resolve(code)));
      r.child.kill('SIGTERM');
      await eventually(() => expect(r.stderr.join('')).toContain('shutting down'));
      const second = Date.now();
      r.child.kill('SIGTERM');
      expect(await exited).toBe(1);
      expect(Date.now() - second).toBeLessThan(2000);
    } finally {
      r.child.kill('SIGKILL');
      await slow.close();
    }
  });

  it('render prints the Discord JSON for a fixture', () => {
    const r = run(['render', '--template', 'default', '--payload', 'samples/firing.json']);
    expect(r.status).toBe(0);
    const messages = JSON.parse(r.stdout) as { embeds: unknown[] }[];
    expect(messages).toHaveLength(1);
    expect(messages[0]?.embeds).toHaveLength(2);
  });
});
