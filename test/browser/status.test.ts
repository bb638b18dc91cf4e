import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusSnapshotSchema } from '../../src/server/status.js';
import { startEmulator, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import {
  chromiumAvailable,
  inCI,
  launchBrowser,
  recordResponses,
  screenshot,
  type Browser,
} from '../support/browser.js';
import { startTestService, testConfig, type TestService } from '../support/service.js';

/** A notification for one receiver (routes pick the target by it), with its own group and severity. */
function notification(receiver: string, group: string, severity = 'critical') {
  const body = fixture('firing');
  body.receiver = receiver;
  body.groupKey = `{}:{group="${group}"}`;
  body.commonLabels = { alertname: 'HighErrorRate', severity };
  body.alerts = body.alerts.map((a, i) => ({
    ...a,
    labels: { ...(a.labels as object), severity },
    fingerprint: `${group}-${i}`,
  }));
  return body;
}

const watchdog = () => {
  const body = notification('payments', 'watchdog', 'none');
  body.alerts = [{ ...body.alerts[0]!, labels: { alertname: 'Watchdog', severity: 'none' } }];
  return body;
};

/**
 * One case per condition a webhook can be in. Each arranges it through the emulator and the
 * receiver, then checks the target's row on the live page.
 */
interface WebhookCase {
  name: string;
  target: string;
  arrange: () => Promise<void>;
  expectRow: (row: Locator) => Promise<void>;
}

describe.skipIf(!chromiumAvailable() && !inCI)('web UI: delivery status (headless Chromium)', () => {
  let emulator: Emulator;
  let hooks: Record<'payments' | 'platform' | 'search' | 'flaky', WebhookHandle>;
  let service: TestService;
  let browser: Browser;
  let page: Page;
  let responses: ReturnType<typeof recordResponses>;

  /** The page polls every 2 s: give a change a few polls to show. */
  const LIVE = { timeout: 8000, interval: 100 };
  const row = (target: string) => page.locator(`#targets tr[data-target="${target}"]`);
  const cellText = async (r: Locator, column: string) =>
    (await r.locator(`td`).nth(COLUMNS.indexOf(column)).textContent())?.trim();
  const post = async (body: unknown) => expect((await service.post(body)).status).toBe(200);

  beforeAll(async () => {
    // One request per webhook per minute: the second message for a webhook waits, visibly.
    emulator = await startEmulator({ webhookLimit: { limit: 1, windowMs: 60_000 } });
    hooks = {
      payments: emulator.createWebhook(),
      platform: emulator.createWebhook(),
      search: emulator.createWebhook(),
      flaky: emulator.createWebhook(),
    };
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        // A breaker that opens after two failures and stays open long enough to be seen.
        delivery: {
          drain_timeout: '100ms',
          backoff_initial: '10ms',
          backoff_max: '20ms',
          breaker_threshold: 2,
          breaker_cooldown: '60s',
        },
        heartbeat: { alertname: 'Watchdog', timeout: '10m', target: 'payments' },
        targets: {
          payments: { webhook_url: hooks.payments.url },
          platform: { webhook_url: hooks.platform.url },
          search: { webhook_url: hooks.search.url },
          flaky: { webhook_url: hooks.flaky.url },
          preview: { dry_run: true },
        },
        routes: [
          { receiver: 'payments', targets: ['payments'] },
          { receiver: 'platform', targets: ['platform'] },
          { receiver: 'search', targets: ['search'] },
          { receiver: 'flaky', targets: ['flaky'] },
          { targets: ['preview'] },
        ],
      }),
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
    responses = recordResponses(page);
    await page.goto(`${service.url}/ui/#status`);
    await row('payments').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.shutdown();
    await emulator?.close();
  });

  const cases: WebhookCase[] = [
    {
      name: 'a healthy webhook: its delivery is listed with latency and result',
      target: 'payments',
      arrange: async () => {
        await post(notification('payments', 'checkout'));
        await post(watchdog());
      },
      expectRow: async (r) => {
        const delivered = page.locator('#deliveries tr[data-target="payments"]');
        await expect.poll(() => delivered.count(), LIVE).toBe(1);
        expect(await cellText(r, 'Breaker')).toBe('closed');
        // The budget Discord announced is spent: the next message waits for the reset.
        expect(await cellText(r, 'Bucket')).toMatch(/^0 \/ 1resets in \d+ s$/);
        const cells = await delivered.locator('td').allTextContents();
        expect(cells.slice(1)).toEqual([
          'payments',
          hooks.payments.id,
          '2',
          // Under a second when the machine is idle; a loaded one may take longer.
          expect.stringMatching(/^\d+ (ms|s)$/),
          'ok',
          '200',
        ]);
      },
    },
    {
      name: 'a deleted webhook: shown gone, its message dead-lettered with the alert identities',
      target: 'platform',
      arrange: async () => {
        emulator.deleteWebhook(hooks.platform.id);
        await post(notification('platform', 'billing'));
      },
      expectRow: async (r) => {
        await expect.poll(() => cellText(r, 'Breaker'), LIVE).toMatch(/^webhook gone/);
        expect(await cellText(r, 'Breaker')).toContain('webhook deleted or token revoked');
        const letter = page.locator('#dead-letters tr[data-target="platform"]');
        await expect.poll(() => letter.count(), LIVE).toBe(1);
        expect(await letter.textContent()).toContain('webhook_gone');
        expect(await letter.textContent()).toContain('{}:{group="billing"}');
        const identities = await letter
          .locator('li')
          .evaluateAll((els) => els.map((el) => [el.getAttribute('data-fingerprint'), el.textContent]));
        expect(identities).toEqual([
          ['billing-0', 'HighErrorRate billing-0 firing'],
          ['billing-1', 'HighErrorRate billing-1 firing'],
        ]);
      },
    },
    {
      name: 'a rate-limited webhook: its backlog by priority and the oldest message age',
      target: 'search',
      arrange: async () => {
        // The first goes out and spends the budget; the rest wait a minute.
        await post(notification('search', 'first', 'info'));
        await post(notification('search', 'a', 'critical'));
        await post(notification('search', 'b', 'warning'));
        await post(notification('search', 'c', 'info'));
        await post(notification('search', 'd', 'info'));
      },
      expectRow: async (r) => {
        await expect.poll(() => cellText(r, 'Low'), LIVE).toBe('2');
        expect(await cellText(r, 'Critical')).toBe('1');
        expect(await cellText(r, 'High')).toBe('0');
        expect(await cellText(r, 'Normal')).toBe('1');
        expect(await cellText(r, 'Oldest')).toMatch(/^\d+ (ms|s)$/);
        expect(await r.locator('.queued.prio-critical').count()).toBe(1);
      },
    },
    {
      name: 'a failing webhook: its breaker shows open, with the time to the trial request',
      target: 'flaky',
      arrange: async () => {
        // Discord answers 5xx to everything until the breaker has opened.
        emulator.setFaults({ serverErrorRate: 1 });
        await post(notification('flaky', 'outage'));
      },
      expectRow: async (r) => {
        try {
          await expect.poll(() => cellText(r, 'Breaker'), LIVE).toMatch(/^open/);
          expect(await cellText(r, 'Breaker')).toMatch(/trial in \d+ s/);
        } finally {
          emulator.setFaults({});
        }
      },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      await c.arrange();
      await c.expectRow(row(c.target));
    });
  }

  it('refreshes on its own: a new message shows up without reloading', async () => {
    const r = row('search');
    const before = Number(await cellText(r, 'Critical'));
    await post(notification('search', 'e', 'critical'));
    await expect.poll(() => cellText(r, 'Critical'), LIVE).toBe(String(before + 1));
  });

  it('shows the queue, config version, heartbeat and a dry-run target', async () => {
    const snapshot = statusSnapshotSchema.parse(await (await fetch(`${service.url}/api/v1/status`)).json());
    const cards = page.locator('#status-cards');
    await expect.poll(async () => (await cards.textContent()) ?? '', LIVE).toContain(`${snapshot.queue.total}of 10000`);
    expect(await cards.textContent()).toContain(snapshot.config.version);
    expect(await cards.textContent()).toMatch(/Heartbeat · WatchdogOKlast seen .* ago/);
    expect(await cellText(row('preview'), 'Bucket')).toBe('dry-run');
    expect(await cellText(row('preview'), 'Webhook')).toBe('—');
    expect(await cellText(row('preview'), 'Breaker')).toBe('—');
    await screenshot(page, 'ui-status', { docsName: 'status' });
  });

  it('never shows a webhook token: not in the page, its scripts, nor any API answer', async () => {
    await responses.settled();
    const everything = [await page.content(), ...responses.bodies.map((b) => b.text)].join('\n');
    expect(responses.bodies.some((b) => b.url.endsWith('/api/v1/status'))).toBe(true);
    expect(responses.bodies.some((b) => b.url.endsWith('/app.js'))).toBe(true);
    for (const hook of Object.values(hooks)) {
      expect(everything).toContain(hook.id);
      expect(everything).not.toContain(hook.token);
    }
  });
});

const COLUMNS = ['Target', 'Webhook', 'Breaker', 'Bucket', 'Critical', 'High', 'Normal', 'Low', 'Oldest'];
