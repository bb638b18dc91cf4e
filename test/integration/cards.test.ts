/**
 * A target with `template: cards` against the emulator: a 200-alert storm (which switches it
 * to the cards digest and packs groups) and a fire-then-resolve. Every alert is visible, every
 * request passes Discord's spec and the emulator's V2 rules, every message is a Components V2
 * message sent with `with_components=true`, link buttons are there, resolutions edit in place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  shownButtons,
  startEmulator,
  visibleText,
  type Emulator,
  type ReceivedRequest,
  type WebhookHandle,
} from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { RESOLVED_LOOK } from '../../src/shared/severity.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const V2 = 1 << 15;
const GROUPS = 40;
const PER_GROUP = 5;

interface Body {
  groupKey: string;
  groupLabels: Record<string, string>;
  status: string;
  alerts: { fingerprint: string; status: string; labels: Record<string, string>; endsAt?: string }[];
}

/** Group `g` of the storm: alerts named `C{g}x{j}`. */
function stormGroup(g: number): Body {
  const body = fixture('firing') as unknown as Body;
  body.groupKey = `cards-storm-${g}`;
  body.groupLabels = { alertname: `C${g}` };
  const template = body.alerts[0]!;
  body.alerts = Array.from({ length: PER_GROUP }, (_, j) => ({
    ...template,
    fingerprint: `c${g}x${j}`,
    labels: { ...template.labels, alertname: `C${g}x${j}`, severity: 'warning' },
  }));
  return body;
}

const withComponentsQuery = (r: ReceivedRequest) => r.query['with_components'] === 'true';
const flagged = (r: ReceivedRequest) => (((r.body as { flags?: number }).flags ?? 0) & V2) !== 0;

describe('the cards template against the emulator', () => {
  let emulator: Emulator;
  let hooks: Record<'storm' | 'life', WebhookHandle>;
  let service: TestService;

  beforeAll(async () => {
    emulator = await startEmulator({ channelLimit: { limit: 4, windowMs: 3000 } });
    hooks = { storm: emulator.createWebhook(), life: emulator.createWebhook() };
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        rate_limit: { channel_messages: 4, channel_window: '3s', critical_reserve: 0 },
        delivery: { digest_after: '2s' },
        targets: {
          storm: { webhook_url: hooks.storm.url, template: 'cards' },
          life: { webhook_url: hooks.life.url, template: 'cards' },
        },
        routes: [
          { path: 'storm', targets: ['storm'] },
          { path: 'life', targets: ['life'] },
        ],
      }),
    );
  });
  afterAll(async () => {
    await service.shutdown();
    await emulator.close();
  });

  const requestsFor = (hook: WebhookHandle) => emulator.requests.filter((r) => r.webhookId === hook.id);

  /** Each POST and PATCH: spec-valid, accepted, flagged V2, with the query parameter, no legacy fields. */
  function expectV2Requests(hook: WebhookHandle): void {
    const sent = requestsFor(hook).filter((r) => r.method === 'POST' || r.method === 'PATCH');
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) {
      expect(r.specErrors, r.path).toBeUndefined();
      expect([200, 429], r.path).toContain(r.status);
      expect(flagged(r), r.path).toBe(true);
      expect(withComponentsQuery(r), r.path).toBe(true);
      expect(r.body).not.toHaveProperty('content');
      expect(r.body).not.toHaveProperty('embeds');
      expect(r.body).toMatchObject({ allowed_mentions: { parse: [] } });
    }
  }

  it('delivers a 200-alert storm: every alert visible, every request V2 and spec-valid', async () => {
    const posts = Array.from({ length: GROUPS }, (_, g) => stormGroup(g));
    for (const body of posts) expect((await service.post(body, { path: '/alerts/storm' })).status).toBe(200);
    await eventually(() => expect(service.delivery.queued).toBe(0), 60_000);

    const live = emulator.messagesFor(hooks.storm.id).filter((m) => m.deletedAt === undefined);
    const text = live.map(visibleText).join('\n');
    const names = posts.flatMap((b) => b.alerts.map((a) => a.labels.alertname!));
    expect(names).toHaveLength(200);
    expect(names.filter((n) => !text.includes(n))).toEqual([]);
    expect(live.every((m) => m.body.flags === V2 && m.body.components.length > 0)).toBe(true);
    // The storm format is the cards digest: its group buttons are on the messages.
    expect(live.flatMap(shownButtons).some((b) => b.label === 'Alertmanager')).toBe(true);
    expect(service.logs.some((l) => l.includes('rendering digests'))).toBe(true);
    expectV2Requests(hooks.storm);
    expect(emulator.counts().status400).toBe(0);
    expect(service.delivery.deadLetters.total).toBe(0);
  }, 90_000);

  it('fires a card with link buttons, then edits it in place to green on resolve', async () => {
    const firing = fixture('firing') as unknown as Body;
    const resolved = fixture('resolved') as unknown as Body;
    for (const n of [firing, resolved]) n.groupKey = '{}:{alertname="CardsLife"}';
    expect((await service.post(firing, { path: '/alerts/life' })).status).toBe(200);
    const [card] = await eventually(() => {
      const m = emulator.messagesFor(hooks.life.id);
      expect(m).toHaveLength(1);
      return m;
    });
    const buttons = shownButtons(card!);
    expect(buttons.map((b) => b.label)).toEqual(expect.arrayContaining(['Runbook', 'Silence', 'Alertmanager']));
    expect(buttons.find((b) => b.label === 'Runbook')?.url).toBe('https://runbooks.example/payment/high-error-rate');
    expect(buttons.find((b) => b.label === 'Silence')?.url).toMatch(
      /^http:\/\/alertmanager\.example:9093\/#\/silences\/new\?filter=/,
    );
    expect(visibleText(card!)).toContain('5xx rate above 5% on pay-1');

    expect((await service.post(resolved, { path: '/alerts/life' })).status).toBe(200);
    await eventually(() => expect(emulator.messagesFor(hooks.life.id)[0]?.edits).toBe(1));
    const messages = emulator.messagesFor(hooks.life.id);
    expect(messages).toHaveLength(1);
    const accents = (messages[0]!.body.components as { accent_color?: number }[]).map((c) => c.accent_color);
    expect(accents.every((c) => c === RESOLVED_LOOK.color)).toBe(true);
    expect(visibleText(messages[0]!)).toContain('RESOLVED');
    const patches = requestsFor(hooks.life).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expectV2Requests(hooks.life);
  });
});
