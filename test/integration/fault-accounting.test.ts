import { seededRandom } from '../support/seeded-random.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, visibleText, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

/**
 * A storm of uniquely labelled alerts through every fault the emulator can inject, then an
 * account of every alert: delivered, refused with a 5xx (Alertmanager retries), or dead-lettered
 * and counted — never two of these, never none. Everything the service said meanwhile (logs,
 * metrics, API answers, error bodies, dead letters) is searched for secrets.
 */

const BEARER = 'receiver-bearer-9f3c1a7e5b';
const PASSWORD = 'receiver-password-4d2b8e6a0c';
const USER = 'alertmanager';
const AUTH = { authorization: `Bearer ${BEARER}` };

let emulator: Emulator;
let service: TestService;
let pool: WebhookHandle[];
let solo: WebhookHandle;
let ops: WebhookHandle;

beforeAll(async () => {
  // Generous Discord buckets: the storm is about faults, not about waiting for windows.
  emulator = await startEmulator({
    webhookLimit: { limit: 50, windowMs: 1000 },
    channelLimit: null,
    globalLimit: { limit: 200, windowMs: 1000 },
  });
  pool = [1, 2, 3].map(() => emulator.createWebhook({ channelId: '733000000000000009' }));
  solo = emulator.createWebhook();
  ops = emulator.createWebhook();
  service = await startTestService(
    testConfig({
      server: {
        host: '127.0.0.1',
        port: 0,
        auth: { bearer_token: BEARER, basic: { username: USER, password: PASSWORD } },
      },
      discord: { api_base_url: emulator.url, request_timeout: '5s' },
      delivery: {
        backoff_initial: '20ms',
        backoff_max: '100ms',
        max_attempts: 4,
        breaker_threshold: 3,
        breaker_cooldown: '150ms',
        queue_limit: 12,
      },
      rate_limit: { channel_messages: 1000, channel_window: '1s', global_per_second: 200 },
      targets: {
        pool: { webhook_urls: pool.map((w) => w.url), fallback_target: 'ops' },
        solo: { webhook_url: solo.url },
        ops: { webhook_url: ops.url },
      },
      routes: [{ path: 'solo', targets: ['solo'] }, { targets: ['pool'] }],
    }),
  );
});
afterAll(async () => {
  await service?.shutdown();
  await emulator?.close();
});

interface Sent {
  instance: string;
  fingerprint: string;
}

/** One notification per alert, so a 503 refuses exactly that alert. */
function notification(n: number): { body: ReturnType<typeof fixture>; alert: Sent } {
  const body = fixture('firing');
  const template = body.alerts[0]!;
  const instance = `storm-${n.toString().padStart(4, '0')}-host`;
  const fingerprint = `f${n.toString(16).padStart(15, '0')}`;
  body.groupKey = `{}:{alertname="Storm${n}"}`;
  body.alerts = [
    { ...template, labels: { ...(template.labels as object), alertname: `Storm${n}`, instance }, fingerprint },
  ];
  return { body, alert: { instance, fingerprint } };
}

describe('fault suite with full accounting', () => {
  it('accounts for every alert through 5xx, resets, latency, 429 storms, a deleted webhook and an open breaker', async () => {
    const sent: Sent[] = [];
    const refused = new Set<string>();
    const answers: string[] = [];
    let next = 0;

    /** Posts `count` notifications at once, to the pool or (path 'solo') to the lone webhook. */
    const burst = async (count: number, path = '') => {
      const posts = Array.from({ length: count }, () => notification(next++));
      const results = await Promise.all(
        posts.map(({ body }) => service.post(body, { path: `/alerts${path}`, headers: AUTH })),
      );
      for (const [i, res] of results.entries()) {
        const alert = posts[i]!.alert;
        sent.push(alert);
        answers.push(await res.text());
        expect([200, 503]).toContain(res.status);
        if (res.status === 503) {
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
          refused.add(alert.fingerprint);
        }
      }
    };
    const breather = () => new Promise((r) => setTimeout(r, 150));

    // 20 % 5xx and 5 % resets throughout, drawn from a seed whose first draw is a reset, so
    // each run meets every fault however many requests its timing makes.
    const random = seededRandom(86);
    emulator.setFaults({ serverErrorRate: 0.2, resetRate: 0.05, random });
    for (let i = 0; i < 6; i++) {
      await burst(10);
      await breather();
    }
    // A global 429 storm on top.
    emulator.setFaults({
      serverErrorRate: 0.2,
      resetRate: 0.05,
      random,
      force429: { count: 8, retryAfter: 0.2, global: true },
    });
    await burst(10);
    await breather();
    // A webhook of the pool is deleted mid-storm; the lone webhook too (no pool, no fallback).
    emulator.setFaults({ serverErrorRate: 0.2, resetRate: 0.05, random });
    await burst(5);
    emulator.deleteWebhook(pool[1]!.id);
    emulator.deleteWebhook(solo.id);
    await eventually(() => expect(service.delivery.queued).toBe(0));
    await burst(5, '/solo');
    await burst(10);
    await breather();
    // Discord down: breakers open; then back, and the breakers close.
    // Only what is logged from here on: the 5xx above may already have opened (and the
    // deletion then ended) the lone webhook's breaker.
    const from = service.logs.length;
    const since = () => service.logs.slice(from).join('');
    emulator.setFaults({ serverErrorRate: 1 });
    await burst(6);
    await eventually(() => expect(since()).toContain('circuit breaker opened'));
    emulator.setFaults({});
    // On a loaded machine the six may all be dead letters by now: fresh alerts give the probe.
    await burst(2);
    await eventually(() => expect(since()).toContain('circuit breaker closed'));
    // 2 s latency on every answer: a burst larger than the queue is partly refused.
    await eventually(() => expect(service.delivery.queued).toBe(0));
    emulator.setFaults({ latencyMs: 2000, serverErrorRate: 0.2 });
    await burst(16);
    await breather();
    emulator.setFaults({});

    await eventually(() => expect(service.delivery.queued).toBe(0), 20_000);

    // The three buckets.
    const text = (await eventually(async () => {
      const res = await fetch(`${service.url}/api/v1/dead-letters`, { headers: AUTH });
      expect(res.status).toBe(200);
      return res.text();
    })) as string;
    answers.push(text);
    const letters = JSON.parse(text) as {
      total: number;
      dead_letters: { reason: string; alerts: { fingerprint: string }[] }[];
    };
    const deadLettered = new Set(letters.dead_letters.flatMap((l) => l.alerts.map((a) => a.fingerprint)));
    const live = emulator.messages.filter((m) => m.deletedAt === undefined).map(visibleText);
    const copies = (a: Sent) => live.filter((m) => m.includes(a.instance)).length;
    const delivered = new Set(sent.filter((a) => copies(a) > 0).map((a) => a.fingerprint));

    for (const a of sent) {
      const buckets = [delivered, refused, deadLettered].filter((b) => b.has(a.fingerprint)).length;
      expect(buckets, `${a.instance} is in ${buckets} buckets`).toBe(1);
      if (delivered.has(a.fingerprint)) expect(copies(a), `${a.instance} posted twice`).toBe(1);
    }
    expect(delivered.size + refused.size + deadLettered.size).toBe(sent.length);

    // Every dead letter is counted, and those for the lone deleted webhook are among them.
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    const counted = [...metrics.matchAll(/^alertcord_dead_letters_total\{reason="\w+"\} (\d+)$/gm)]
      .map((m) => Number(m[1]))
      .reduce((a, b) => a + b, 0);
    expect(counted).toBe(letters.total);
    expect(letters.dead_letters.length).toBe(letters.total);
    expect(letters.dead_letters.some((l) => l.reason === 'webhook_gone')).toBe(true);
    expect(refused.size).toBeGreaterThan(0);
    expect(delivered.size).toBeGreaterThan(sent.length / 2);
    // The faults really happened, and were survived.
    expect(emulator.requests.some((r) => r.status === 0)).toBe(true);
    expect(emulator.requests.some((r) => r.status >= 500)).toBe(true);
    expect(emulator.requests.some((r) => r.status === 429 && r.scope === 'global')).toBe(true);
    expect(emulator.messagesFor(ops.id).some((m) => visibleText(m).includes(pool[1]!.id))).toBe(true);
    expect(metrics).toMatch(/alertcord_breaker_transitions_total\{webhook_id="\d+",state="open"\} [1-9]/);

    // Secrets: nothing the service said carries a webhook token or a receiver credential.
    const unauthorized = await service.post(notification(next++).body, {
      headers: { authorization: `Basic ${Buffer.from(`${USER}:wrong`).toString('base64')}` },
    });
    expect(unauthorized.status).toBe(401);
    answers.push(await unauthorized.text(), JSON.stringify([...unauthorized.headers]));
    const basic = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };
    for (const path of ['/api/v1/status', '/api/v1/dead-letters', '/healthz', '/readyz', '/api/v1/nothing']) {
      const res = await fetch(`${service.url}${path}`, { headers: basic });
      answers.push(await res.text());
    }
    const invalid = await service.post('{"broken', { headers: AUTH });
    expect(invalid.status).toBe(400);
    answers.push(await invalid.text());
    const everything = [...service.logs, metrics, ...answers, JSON.stringify(service.delivery.deadLetters.list())].join(
      '\n',
    );
    const secrets = [
      ...[...pool, solo, ops].map((w) => w.token),
      BEARER,
      PASSWORD,
      Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
    ];
    const leaks = secrets.filter((s) => everything.includes(s));
    expect(leaks).toEqual([]);
    // The captured text is real: logs mention the webhooks by id.
    expect(everything).toContain(pool[1]!.id);

    console.info(
      `fault accounting: sent ${sent.length}, delivered ${delivered.size}, refused ${refused.size}, ` +
        `dead-lettered ${deadLettered.size}, leaks ${leaks.length}`,
    );
  });
});

describe('SIGTERM mid-backlog', () => {
  it('dead-letters and logs, with their alert identities, what the drain deadline left undelivered', async () => {
    const hook = emulator.createWebhook();
    const dir = mkdtempSync(join(tmpdir(), 'alertcord-drain-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      stringify({
        server: { host: '127.0.0.1', port: 0 },
        discord: { api_base_url: emulator.url, request_timeout: '300ms' },
        delivery: { drain_timeout: '400ms', backoff_initial: '50ms', backoff_max: '100ms', max_attempts: 100 },
        dedup: { window: 0 },
        targets: { t: { webhook_url: hook.url } },
        routes: [{ targets: ['t'] }],
      }),
    );
    // Discord answers nothing useful: every message stays in the backlog.
    emulator.setFaults({ serverErrorRate: 1 });
    const child = spawn(process.execPath, ['dist/cli.js', '--config', file], {
      env: Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !/^(DISCORD_|ALERTCORD_|PORT$|HOST$)/.test(k)),
      ),
    });
    const stderr: string[] = [];
    child.stderr.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
    const url = await eventually(() => {
      const line = stderr
        .join('')
        .split('\n')
        .find((l) => l.includes('alertcord listening'));
      if (!line) throw new Error('not listening yet');
      return (JSON.parse(line) as { url: string }).url;
    });
    const alerts = Array.from({ length: 5 }, (_, i) => notification(9000 + i));
    for (const { body } of alerts) {
      const res = await fetch(`${url}/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    }
    await eventually(() => expect(emulator.requests.filter((r) => r.webhookId === hook.id).length).toBeGreaterThan(0));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    emulator.setFaults({});

    const lines = stderr
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; deadLetter?: { reason: string; alerts: { fingerprint: string }[] } });
    const letters = lines.filter((l) => l.msg === 'message dead-lettered').map((l) => l.deadLetter!);
    expect(letters.every((l) => l.reason === 'shutdown')).toBe(true);
    expect(letters.flatMap((l) => l.alerts.map((a) => a.fingerprint)).sort()).toEqual(
      alerts.map((a) => a.alert.fingerprint).sort(),
    );
    expect(lines.some((l) => l.msg.startsWith('shutting down'))).toBe(true);
    expect(emulator.messagesFor(hook.id)).toEqual([]);
    expect(stderr.join('')).not.toContain(hook.token);
  });
});
