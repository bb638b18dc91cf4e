import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challenges, checkAuth } from '../../src/server/auth.js';
import { fixture } from '../fixtures/index.js';
import { startTestService, testConfig, type TestService } from '../support/service.js';

const TOKEN = 'receiver-token-for-tests-0123456789';
const PASSWORD = 'pa:ss w0rd ünïcode';
const dir = mkdtempSync(join(tmpdir(), 'alertcord-auth-'));
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, `${TOKEN}\n`);

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('checkAuth', () => {
  const auth = {
    bearerToken: TOKEN,
    basic: { username: 'am', password: PASSWORD },
    protectHealth: false,
    protectMetrics: false,
  };
  it.each([
    [`Bearer ${TOKEN}`, 'ok'],
    [`bearer ${TOKEN}`, 'ok'],
    [`Bearer ${TOKEN}x`, 'bad_credentials'],
    [`Bearer ${TOKEN.slice(0, -1)}`, 'bad_credentials'],
    ['Bearer', 'bad_credentials'],
    [basic('am', PASSWORD), 'ok'],
    [basic('am', 'wrong'), 'bad_credentials'],
    [basic('root', PASSWORD), 'bad_credentials'],
    ['Basic !!!notbase64', 'bad_credentials'],
    [`Token ${TOKEN}`, 'wrong_scheme'],
    [TOKEN, 'wrong_scheme'],
    ['', 'missing'],
    [undefined, 'missing'],
  ])('%s → %s', (header, expected) => {
    const check = checkAuth(header, auth);
    expect(check.ok ? 'ok' : check.reason).toBe(expected);
  });

  it('calls a scheme that is not configured the wrong scheme, even with the right secret', () => {
    expect(checkAuth(basic('am', PASSWORD), { ...auth, basic: undefined })).toEqual({
      ok: false,
      reason: 'wrong_scheme',
    });
  });

  it('offers the schemes that are configured', () => {
    expect(challenges(auth)).toEqual(['Bearer realm="alertcord"', 'Basic realm="alertcord", charset="UTF-8"']);
    expect(challenges({ ...auth, basic: undefined })).toEqual(['Bearer realm="alertcord"']);
  });
});

describe('receiver auth over HTTP', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(
      testConfig({
        server: {
          host: '127.0.0.1',
          port: 0,
          auth: { bearer_token_file: tokenFile, basic: { username: 'am', password: PASSWORD } },
        },
        targets: { d: { dry_run: true } },
        routes: [{ targets: ['d'] }],
      }),
    );
  });
  afterAll(() => service.shutdown());

  it('refuses POST /alerts without credentials, with WWW-Authenticate, before reading the body', async () => {
    const res = await service.post(fixture('firing'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer realm="alertcord"');
    const wrongType = await service.post('not json', { contentType: 'text/plain' });
    expect(wrongType.status).toBe(401);
    expect(service.printed).toHaveLength(0);
  });

  it('accepts the bearer token from the file, and basic auth', async () => {
    expect((await service.post(fixture('firing'), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await service.post(fixture('firing'), { headers: { authorization: basic('am', PASSWORD) } })).status).toBe(
      200,
    );
    expect((await service.post(fixture('firing'), { headers: { authorization: basic('am', 'nope') } })).status).toBe(
      401,
    );
  });

  it('keeps health and metrics public by default, protects /api', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${service.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${service.url}/api/v1/anything`)).status).toBe(401);
  });

  it('counts refused requests by reason and 401 answers by route, with no credential in a label', async () => {
    const metrics = async () => (await fetch(`${service.url}/metrics`)).text();
    const count = (text: string, series: string) =>
      Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    const before = await metrics();
    await service.post(fixture('firing'));
    await service.post(fixture('firing'), { headers: { authorization: `Token ${TOKEN}` } });
    await service.post(fixture('firing'), { headers: { authorization: 'Bearer guess-0123' } });
    await service.post(fixture('firing'), { path: '/alerts/x', headers: { authorization: 'Bearer guess-4567' } });
    await fetch(`${service.url}/api/v1/status`);
    const after = await metrics();
    const delta = (series: string) => count(after, series) - count(before, series);
    expect(delta('alertcord_auth_failures_total{reason="missing"}')).toBe(2);
    expect(delta('alertcord_auth_failures_total{reason="wrong_scheme"}')).toBe(1);
    expect(delta('alertcord_auth_failures_total{reason="bad_credentials"}')).toBe(2);
    expect(delta('alertcord_http_requests_total{route="/alerts",code="401"}')).toBe(3);
    expect(delta('alertcord_http_requests_total{route="/alerts/:path",code="401"}')).toBe(1);
    expect(delta('alertcord_http_requests_total{route="/api/v1/status",code="401"}')).toBe(1);
    expect(after).not.toContain('guess-');
    expect(after).not.toContain(TOKEN);
  });

  it('never logs the credentials', () => {
    const logs = service.logs.join('\n');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain(PASSWORD);
  });
});

describe('protected health and metrics', () => {
  it('asks for credentials when protect_health and protect_metrics are set', async () => {
    const s = await startTestService(
      testConfig({
        server: {
          host: '127.0.0.1',
          port: 0,
          auth: { bearer_token: TOKEN, protect_health: true, protect_metrics: true },
        },
        targets: { d: { dry_run: true } },
        routes: [{ targets: ['d'] }],
      }),
    );
    try {
      expect((await fetch(`${s.url}/healthz`)).status).toBe(401);
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      const ok = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
    } finally {
      await s.shutdown();
    }
  });

  it('refuses a config with an unreadable secret file, naming the field', () => {
    expect(() =>
      testConfig({
        server: { auth: { bearer_token_file: join(dir, 'missing') } },
        targets: { d: { dry_run: true } },
        routes: [{ targets: ['d'] }],
      }),
    ).toThrow('server.auth.bearer_token_file: cannot read: ENOENT');
  });
});

describe('open by default', () => {
  const start = (host: string, auth?: { bearer_token: string }) =>
    startTestService(
      testConfig({
        server: { host, port: 0, ...(auth ? { auth } : {}) },
        targets: { d: { dry_run: true } },
        routes: [{ targets: ['d'] }],
      }),
    );
  const warned = (s: TestService) => s.logs.some((l) => l.includes('server.auth is not set'));

  it('warns at start-up when auth is off and the receiver listens beyond loopback', async () => {
    const all = await start('0.0.0.0');
    const loopback = await start('127.0.0.1');
    const guarded = await start('0.0.0.0', { bearer_token: TOKEN });
    try {
      expect(warned(all)).toBe(true);
      expect(all.logs.find((l) => l.includes('server.auth is not set'))).toContain('"level":40');
      expect(warned(loopback)).toBe(false);
      expect(warned(guarded)).toBe(false);
    } finally {
      await Promise.all([all.shutdown(), loopback.shutdown(), guarded.shutdown()]);
    }
  });
});
