/**
 * Random Alertmanager payloads — any size, any characters, any number of labels — through
 * every shipped template always give messages that are valid by the schema and by an
 * independent reading of Discord's limits, and that the strict Discord emulator accepts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotification } from '../../src/alertmanager/payload.js';
import { discordMessageSchema } from '../../src/discord/message.js';
import { renderMessages } from '../../src/render/render-job.js';
import { loadTemplateSet } from '../../src/render/template-set.js';
import { startEmulator, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { independentProblems } from '../support/discord-limits.js';
import { fixedEnv } from '../support/templates.js';
import { isComponentsV2 } from '../../src/discord/components.js';

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const markdownBits = fc.constantFrom(
  '@everyone',
  '@here',
  '<@123456789012345678>',
  '**',
  '`',
  '```',
  '||',
  '[x](https://evil.example)',
  '\n# ',
  '\n> ',
  '\n- ',
  '\\',
  '{{',
  '}}',
  '"',
  '\n',
  ' ',
);
const char = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: markdownBits, weight: 2 },
  { arbitrary: loneSurrogate, weight: 1 },
);
const text = (maxLength: number) => fc.string({ unit: char, maxLength });
/** Mostly short, sometimes far over every Discord limit (a random piece repeated: cheap to generate). */
const value = fc.oneof(
  { arbitrary: text(40), weight: 12 },
  { arbitrary: fc.tuple(text(60), fc.integer({ min: 20, max: 400 })).map(([s, n]) => s.repeat(n)), weight: 1 },
);
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/);
const labels = fc.dictionary(labelName, value, { maxKeys: 40, size: 'medium', noNullPrototype: true });
const severity = fc.constantFrom('critical', 'error', 'warning', 'info', 'none', 'page', '');
const url = fc.oneof(fc.webUrl(), fc.constant(''), text(30));
const time = fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') });
const ZERO = '0001-01-01T00:00:00Z';

const alert = fc
  .record({
    resolved: fc.boolean(),
    labels,
    alertname: value,
    severity,
    annotations: fc.record(
      { summary: value, description: value, runbook_url: url, dashboard_url: url, message: value },
      { requiredKeys: [], noNullPrototype: true },
    ),
    startsAt: time,
    lasted: fc.integer({ min: 0, max: 30 * 86_400_000 }),
    generatorURL: url,
    fingerprint: fc.string({ minLength: 1, maxLength: 16 }),
  })
  .map((a) => ({
    status: a.resolved ? 'resolved' : 'firing',
    labels: { ...a.labels, alertname: a.alertname, ...(a.severity ? { severity: a.severity } : {}) },
    annotations: a.annotations,
    startsAt: new Date(a.startsAt).toISOString(),
    endsAt: a.resolved ? new Date(a.startsAt + a.lasted).toISOString() : ZERO,
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
  }));

const payload = fc
  .record({
    alerts: fc.oneof(
      { arbitrary: fc.array(alert, { minLength: 1, maxLength: 4 }), weight: 6 },
      { arbitrary: fc.array(alert, { minLength: 5, maxLength: 150, size: 'max' }), weight: 1 },
    ),
    groupLabels: labels,
    commonLabels: labels,
    commonAnnotations: labels,
    externalURL: url,
    receiver: value,
    truncatedAlerts: fc.nat(5),
  })
  .map((p) => ({
    version: '4',
    groupKey: '{}:{}',
    status: p.alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    ...p,
  }));

describe('shipped templates × random payloads', () => {
  const templates = loadTemplateSet(fixedEnv);
  let emulator: Emulator;
  let hook: WebhookHandle;
  beforeAll(async () => {
    // Limits out of the way: this test is about what is sent, not how fast.
    const open = { limit: 1_000_000, windowMs: 1000 };
    emulator = await startEmulator({ webhookLimit: open, channelLimit: null, globalLimit: null });
    hook = emulator.createWebhook();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('always render valid messages that Discord accepts', async () => {
    const endpoint = `${emulator.url}/api/v10/webhooks/${hook.id}/${hook.token}?wait=true`;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(payload, async (body) => {
        const parsed = parseNotification(body);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        for (const template of templates.names()) {
          const out = renderMessages(templates, { notification: parsed.notification, target: 't', template });
          expect(out.templateError).toBeUndefined();
          for (const m of out.messages) {
            expect(discordMessageSchema.safeParse(m).success).toBe(true);
            expect(independentProblems(m)).toEqual([]);
            // As the client sends them: Components V2 messages with with_components=true.
            const res = await fetch(isComponentsV2(m) ? `${endpoint}&with_components=true` : endpoint, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(m),
            });
            expect(res.status, await res.text()).toBe(200);
            sent += 1;
          }
        }
      }),
      { numRuns: 60 },
    );
    expect(emulator.counts().status400).toBe(0);
    expect(emulator.counts().byStatus[200]).toBe(sent);
  }, 120_000); // a failure shrinks its counterexample for a while
});
