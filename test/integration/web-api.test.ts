import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotification } from '../../src/alertmanager/payload.js';
import { withTemplates, type RuntimeResult } from '../../src/config/load-runtime.js';
import { startService } from '../../src/main.js';
import { loadSamples } from '../../src/alertmanager/samples.js';
import { renderMessages } from '../../src/render/render-job.js';
import { loadTemplateSet } from '../../src/render/template-set.js';
import type { RenderResponse } from '../../src/server/render-response.js';
import { statusSnapshotSchema } from '../../src/server/status.js';
import { FAKE_TOKEN, FAKE_WEBHOOK_URL, fixture } from '../fixtures/index.js';
import { startTestService, testConfig, type TestService } from '../support/service.js';

function rawStatus(base: string, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { path }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('web API (/api/v1) and the /ui route', () => {
  let service: TestService;
  const api = (path: string, init?: RequestInit) => fetch(`${service.url}/api/v1/${path}`, init);

  beforeAll(async () => {
    service = await startTestService(
      testConfig({
        // Unroutable on purpose: nothing here needs Discord to answer.
        discord: { api_base_url: 'http://127.0.0.1:9' },
        targets: { team: { webhook_url: FAKE_WEBHOOK_URL }, preview: { dry_run: true } },
        routes: [{ targets: ['preview'] }],
      }),
    );
  });
  afterAll(() => service.shutdown());

  it('lists the template set and the shipped samples, every one a valid payload', async () => {
    expect(await (await api('templates')).json()).toEqual({ templates: loadTemplateSet({ now: Date.now }).names() });
    const { samples } = (await (await api('samples')).json()) as { samples: { name: string; payload: unknown }[] };
    expect(samples.map((s) => s.name)).toEqual(loadSamples().map((s) => s.name));
    expect(samples.map((s) => s.name)).toEqual(
      expect.arrayContaining(['firing', 'large-group', 'mixed-severities', 'resolved']),
    );
    for (const s of samples) expect(parseNotification(s.payload).ok).toBe(true);
  });

  it.each(['templates', 'samples', 'status', 'dead-letters'])('GET /api/v1/%s is never cached', async (path) => {
    const res = await api(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('renders with the code delivery uses, and says how much of each limit every message uses', async () => {
    const payload = loadSamples().find((s) => s.name === 'large-group')!.payload;
    const res = await api('render', json({ template: 'default', payload }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const answer = (await res.json()) as RenderResponse;
    const parsed = parseNotification(payload);
    if (!parsed.ok) throw new Error('sample is invalid');
    // The same render + fit as delivery; only the relative-time clock may differ by a tick.
    const direct = renderMessages(loadTemplateSet({ now: Date.now }), {
      notification: parsed.notification,
      target: 'preview',
      template: 'default',
    });
    expect(answer.messages).toEqual(direct.messages);
    expect(answer.cuts).toEqual(direct.cuts);
    expect(answer.messages.length).toBe(2);
    expect(answer.cuts).toContainEqual(expect.objectContaining({ action: 'split', count: 2 }));
    expect(answer.usage).toHaveLength(2);
    const embeds = answer.usage[0]!.find((u) => u.limit === 'embeds')!;
    expect(embeds).toEqual({ limit: 'embeds', used: answer.messages[0]!.embeds!.length, max: 10, path: '' });
    expect(answer.templateError).toBeNull();
  });

  it('answers 400 with the fields at fault for an invalid payload, unknown template or bad body', async () => {
    const bad = fixture('firing');
    bad.version = '3';
    delete bad.alerts[1]!.fingerprint;
    let res = await api('render', json({ template: 'default', payload: bad }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid Alertmanager payload',
      issues: expect.arrayContaining([
        { path: 'version', message: 'must be "4" (Alertmanager webhook payload version)' },
        expect.objectContaining({ path: 'alerts[1].fingerprint' }),
      ]),
    });

    res = await api('render', json({ template: 'nope', payload: fixture('firing') }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'unknown template',
      issues: [{ path: 'template', message: expect.stringMatching(/^unknown template "nope" \(known: .*default/) }],
    });

    res = await api('render', json({ template: 42, payload: {} }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('template');

    res = await api('render', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"payload": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid JSON');

    res = await api('render', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(res.status).toBe(415);
  });

  it('answers the status snapshot: every target, webhook ids only', async () => {
    expect((await service.post(fixture('firing'))).status).toBe(200);
    const res = await api('status');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(FAKE_TOKEN);
    const snapshot = statusSnapshotSchema.parse(JSON.parse(text));
    expect(snapshot.targets.map((t) => [t.target, t.webhookId, t.dryRun])).toEqual([
      ['team', '123456789012345678', false],
      ['preview', null, true],
    ]);
    expect(snapshot.config).toMatchObject({ source: 'test', version: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(snapshot.heartbeat).toBeNull();
  });

  it('serves the page under /ui/ with a strict Content-Security-Policy', async () => {
    const redirect = await fetch(`${service.url}/ui`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('ui/');
    const page = await fetch(`${service.url}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining(["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"]),
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await fetch(`${service.url}/ui/app.js`);
    expect(script.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    // Sent raw: fetch would resolve the dots itself.
    for (const path of ['/ui/../package.json', '/ui/%2e%2e/package.json', '/ui/..%2fpackage.json']) {
      expect([403, 404], path).toContain(await rawStatus(service.url, path));
    }
  });
});

describe('ui.enabled and receiver auth', () => {
  it('ui.enabled: false serves no page; the API stays', async () => {
    const service = await startTestService(
      testConfig({ ui: { enabled: false }, targets: { t: { dry_run: true } }, routes: [{ targets: ['t'] }] }),
    );
    try {
      expect((await fetch(`${service.url}/ui/`)).status).toBe(404);
      expect((await fetch(`${service.url}/api/v1/templates`)).status).toBe(200);
    } finally {
      await service.shutdown();
    }
  });

  it('keeps the page and the API behind the receiver credentials', async () => {
    const service = await startTestService(
      testConfig({
        server: { host: '127.0.0.1', port: 0, auth: { basic: { username: 'oncall', password: 'pager-secret' } } },
        targets: { t: { dry_run: true } },
        routes: [{ targets: ['t'] }],
      }),
    );
    const credentials = { authorization: `Basic ${Buffer.from('oncall:pager-secret').toString('base64')}` };
    try {
      for (const path of ['/ui/', '/ui/app.js', '/api/v1/status', '/api/v1/samples']) {
        const denied = await fetch(`${service.url}${path}`);
        expect(denied.status, path).toBe(401);
        expect(denied.headers.get('www-authenticate'), path).toContain('Basic');
        expect((await fetch(`${service.url}${path}`, { headers: credentials })).status, path).toBe(200);
      }
    } finally {
      await service.shutdown();
    }
  });
});

describe('status after a config reload', () => {
  it('shows the running config, its version, and the last reload with its problems', async () => {
    const first = testConfig({ targets: { a: { dry_run: true } }, routes: [{ targets: ['a'] }] });
    let next: RuntimeResult = withTemplates(
      testConfig({ targets: { a: { dry_run: true }, b: { dry_run: true } }, routes: [{ targets: ['a', 'b'] }] }),
      Date.now,
    );
    const service = await startService({ config: first, reload: () => next, logSink: { write: () => true } });
    const status = async () => statusSnapshotSchema.parse(await (await fetch(`${service.url}/api/v1/status`)).json());
    try {
      const before = await status();
      expect(before.targets.map((t) => t.target)).toEqual(['a']);
      expect(before.config.lastReload).toMatchObject({ ok: true, error: null });

      expect(service.reload('test')).toBe(true);
      const reloaded = await status();
      expect(reloaded.targets.map((t) => t.target)).toEqual(['a', 'b']);
      expect(reloaded.config.version).not.toBe(before.config.version);
      expect(reloaded.config.lastReload).toMatchObject({ ok: true, error: null });

      next = { ok: false, problems: [{ path: 'routes[0].targets[0]', message: 'unknown target "x"' }] };
      expect(service.reload('test')).toBe(false);
      const rejected = await status();
      expect(rejected.config.version).toBe(reloaded.config.version);
      expect(rejected.targets.map((t) => t.target)).toEqual(['a', 'b']);
      expect(rejected.config.lastReload).toMatchObject({
        ok: false,
        error: 'routes[0].targets[0]: unknown target "x"',
      });
    } finally {
      await service.shutdown();
    }
  });
});
