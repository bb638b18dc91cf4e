import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../../src/alertmanager/samples.js';
import type { RenderResponse } from '../../src/server/render-response.js';
import { fixture } from '../fixtures/index.js';
import {
  chromiumAvailable,
  inCI,
  launchBrowser,
  paste,
  readClipboard,
  recordResponses,
  screenshot,
  type Browser,
} from '../support/browser.js';
import { startTestService, testConfig, type TestService } from '../support/service.js';

const rgb = (color: number) => `rgb(${color >> 16}, ${(color >> 8) & 0xff}, ${color & 0xff})`;

/** 100 alerts with long annotations: far over one message, and one description over 4096. */
function oversized() {
  const body = fixture('firing');
  const first = body.alerts[0]!;
  body.alerts = Array.from({ length: 100 }, (_, i) => ({
    ...first,
    labels: { ...(first.labels as object), instance: `pay-${i}:8080` },
    annotations: {
      summary: `Error budget burn on pay-${i}`,
      description: `${i === 7 ? 'x'.repeat(5000) : 'The payment API fails. '.repeat(60)}`,
    },
    fingerprint: `big${i.toString(16).padStart(8, '0')}`,
  }));
  return body;
}

describe.skipIf(!chromiumAvailable() && !inCI)('web UI: template preview (headless Chromium)', () => {
  let service: TestService;
  let browser: Browser;
  let page: Page;
  let responses: ReturnType<typeof recordResponses>;
  /** Script errors and CSP violations end up in the console. */
  const consoleErrors: string[] = [];

  /** What the page's own API answers for the same input: the page must show exactly that. */
  const renderVia = async (payload: unknown, template = 'default') => {
    const res = await fetch(`${service.url}/api/v1/render`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template, payload }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as RenderResponse;
  };

  beforeAll(async () => {
    service = await startTestService(
      testConfig({ targets: { team: { dry_run: true } }, routes: [{ targets: ['team'] }] }),
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
    responses = recordResponses(page);
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    await page.goto(`${service.url}/ui/`);
    await page.locator('.message').first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.shutdown();
  });

  it('offers every template of the set and every shipped sample', async () => {
    const { templates } = (await (await fetch(`${service.url}/api/v1/templates`)).json()) as { templates: string[] };
    expect(templates).toContain('default');
    expect(await page.locator('#template option').allTextContents()).toEqual(templates);
    expect(await page.locator('#sample option').allTextContents()).toEqual(
      expect.arrayContaining(['firing', 'resolved', 'mixed-severities', 'large-group']),
    );
  });

  it('renders a sample like Discord: one embed per alert, severity colours, inline fields side by side', async () => {
    await page.selectOption('#sample', 'mixed-severities');
    const expected = await renderVia(fixtureSample('mixed-severities'));
    const embeds = page.locator('.message .embed');
    await expect.poll(() => embeds.count()).toBe(4);
    expect(expected.messages[0]!.embeds).toHaveLength(4);

    // The colour bar is the embed's colour: critical red, warning amber, info blue, resolved green.
    const bars = await page.evaluate<string[]>(
      "[...document.querySelectorAll('.message .embed')].map((el) => getComputedStyle(el).borderLeftColor)",
    );
    expect(bars).toEqual(expected.messages[0]!.embeds!.map((e) => rgb(e.color!)));
    expect(bars).toEqual([rgb(0xe74c3c), rgb(0xf39c12), rgb(0x3498db), rgb(0x2ecc71)]);

    // Titles link to the alert's generator URL.
    const title = embeds.first().locator('a.embed-title');
    expect(await title.textContent()).toContain('CRITICAL · CheckoutLatencyHigh');
    expect(await title.getAttribute('href')).toBe(expected.messages[0]!.embeds![0]!.url);

    // Instance, Service, Namespace are inline: one row, left to right, equal widths.
    const first = embeds.first();
    const box = async (name: string) => {
      const field = first.locator('.embed-field', { has: page.locator('.embed-field-name', { hasText: name }) });
      const b = await field.boundingBox();
      if (!b) throw new Error(`field ${name} not visible`);
      return b;
    };
    const [instance, service_, namespace, links] = [
      await box('Instance'),
      await box('Service'),
      await box('Namespace'),
      await box('Links'),
    ];
    expect(service_.y).toBeCloseTo(instance.y, 0);
    expect(namespace.y).toBeCloseTo(instance.y, 0);
    expect(service_.x).toBeGreaterThan(instance.x + instance.width - 1);
    expect(namespace.x).toBeGreaterThan(service_.x + service_.width - 1);
    expect(Math.abs(instance.width - namespace.width)).toBeLessThan(2);
    // Links is not inline: a row of its own, below, as wide as the three together.
    expect(links.y).toBeGreaterThan(instance.y + instance.height);
    expect(links.width).toBeGreaterThan(namespace.x + namespace.width - instance.x - 2);

    // Markdown: the summary is bold, the escaped backticks are shown as plain characters.
    const description = first.locator('.embed-description');
    expect(await description.locator('strong').first().textContent()).toBe('p99 checkout latency is 2.4 s');
    expect(await description.textContent()).toContain('`POST /checkout`');
    // <t:UNIX:R> is a relative time, not markup.
    expect(await first.locator('.md-timestamp').first().textContent()).toMatch(/ago$/);

    expect(await page.locator('#json').textContent()).toBe(JSON.stringify(expected.messages, null, 2));
    expect(await page.locator('#cuts').textContent()).toContain('Nothing was cut');
    await screenshot(page, 'ui-preview', { docsName: 'preview' });
  });

  it('shows hostile alert text as text: no script, no javascript: link, no disguised link', async () => {
    await page.selectOption('#sample', 'markdown-mentions');
    const embed = page.locator('.message .embed');
    await expect.poll(() => embed.count()).toBe(1);
    const description = (await embed.locator('.embed-description').textContent()) ?? '';
    // Markdown and mentions in the annotations read as written (mentions broken by a zero-width space).
    expect(description).toContain('# Not a heading\n> not a quote\n- not a list\n1. not numbered');
    expect(await embed.locator('.embed-description :is(h1, blockquote, ul, pre, s, u, code)').count()).toBe(0);
    // The one bold is the template's, around the whole summary.
    expect(await embed.locator('.embed-description strong').allTextContents()).toEqual([
      expect.stringMatching(/^@\u200beveryone \*\*URGENT\*\* \|\|spoiler\|\| `code` ~~gone~~ __under__/),
    ]);
    expect(await page.locator('.message').textContent()).toContain('@\u200beveryone **URGENT** ||spoiler||');
    expect(await page.locator('.message :is(img, script, iframe, object)').count()).toBe(0);
    const links = await page
      .locator('.message a')
      .evaluateAll((els) =>
        els.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent ?? '', md: a.matches('.md-link') })),
      );
    expect(links.filter((l) => l.md).length).toBeGreaterThan(0);
    for (const { href, text, md } of links) {
      expect(href).toMatch(/^https?:\/\//);
      // In text, a label other than the URL itself comes from the template, never from the alert.
      if (md && text !== href) expect(['Runbook', 'Dashboard', 'Silence'], `${text} → ${href}`).toContain(text);
    }
    expect(links.map((l) => l.text)).not.toContain('click me');
  });

  it('copies the exact JSON', async () => {
    await page.selectOption('#sample', 'mixed-severities');
    await expect.poll(() => page.locator('.message .embed').count()).toBe(4);
    await page.click('#copy-json');
    await expect.poll(() => page.locator('#copy-json').textContent()).toBe('Copied');
    const copied = await readClipboard(page);
    expect(copied).toBe(await page.locator('#json').textContent());
    expect(JSON.parse(copied)).toEqual((await renderVia(fixtureSample('mixed-severities'))).messages);
  });

  it('shows what the client shows: distinct links for the alerts of one rule, with the fit warning that says so', async () => {
    // Both alerts of the sample come from one rule: one generatorURL.
    await page.selectOption('#sample', 'firing');
    const expected = await renderVia(fixtureSample('firing'));
    const [first, second] = expected.messages[0]!.embeds!;
    expect(second!.url).toBe(`${first!.url}#2`);
    await expect.poll(() => page.locator('.message .embed').count()).toBe(2);
    expect(await page.locator('.message .embed-hidden').count()).toBe(0);
    expect(await page.locator('.message a.embed-title').nth(1).getAttribute('href')).toBe(second!.url);
    const warning = page.locator('#cuts .cut-replaced');
    expect(await warning.count()).toBe(1);
    expect(await warning.textContent()).toContain('embeds[1].url');
    expect(await warning.textContent()).toContain('Discord would not show this embed');
  });

  it('draws an embed that repeats a url in its message collapsed, as the client hides it', async () => {
    const drawn = await page.evaluate<{ embeds: number; hidden: string[] }>(`(async () => {
      const { messageView } = await import('./discord-view.js');
      const url = 'http://prometheus.example:9090/graph?g0.expr=up';
      const m = messageView(
        { embeds: [{ title: 'first', url }, { title: 'second', url }, { title: 'third' }], allowed_mentions: { parse: [] } },
        { index: 0, of: 1, sentAt: 0 },
      );
      return {
        embeds: m.querySelectorAll('.embed').length,
        hidden: [...m.querySelectorAll('.embed-hidden')].map((el) => el.textContent),
      };
    })()`);
    expect(drawn.embeds).toBe(2);
    expect(drawn.hidden).toEqual([expect.stringContaining('Not shown by Discord: embed 2 repeats the link')]);
  });

  it('shows the limit bars and the fit warnings of an oversized payload', async () => {
    const payload = oversized();
    const expected = await renderVia(payload);
    expect(expected.messages.length).toBeGreaterThan(10);
    await paste(page, '#payload', JSON.stringify(payload, null, 2));
    await expect.poll(() => page.locator('.message').count(), { timeout: 10_000 }).toBe(expected.messages.length);

    // One group of bars per message, each bar saying used / max.
    const groups = page.locator('.limit-group');
    expect(await groups.count()).toBe(expected.messages.length);
    const firstBars = await groups
      .first()
      .locator('.limit')
      .evaluateAll((els) =>
        els.map((el) => [el.getAttribute('data-limit'), el.querySelector('.limit-value')?.textContent]),
      );
    expect(firstBars).toEqual(expected.usage[0]!.map((u) => [u.limit, `${u.used} / ${u.max}`]));
    expect(firstBars.map(([name]) => name)).toEqual(expect.arrayContaining(['embed characters', 'embeds', 'content']));
    // The truncated description sits at its 4096 limit: a full bar.
    expect(await page.locator('.limit.level-full[data-limit="description"]').count()).toBeGreaterThan(0);

    // Every cut is listed: the split into several messages, and the truncated description.
    const cuts = page.locator('#cuts .cut');
    expect(await cuts.count()).toBe(expected.cuts.length);
    expect(await page.locator('#cuts .cut-split').textContent()).toContain(
      `split into ${expected.messages.length} messages`,
    );
    expect(await page.locator('#cuts .cut-truncated').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('description 4096')]),
    );
    expect(await page.locator('#render-summary').textContent()).toContain(`${expected.messages.length} messages`);
    // The sample list no longer claims the payload is a shipped sample.
    expect(await page.locator('#sample option:checked').textContent()).toBe('(your own JSON)');
    // The page is tens of thousands of pixels tall: the limits and warnings are what matter here.
    await page.locator('#limits').scrollIntoViewIfNeeded();
    await screenshot(page, 'ui-preview-oversized', { fullPage: false });
  });

  it('says clearly when the pasted text is not JSON, and which fields are wrong when it is not a payload', async () => {
    await paste(page, '#payload', '{"version": "4", "alerts": [');
    const problem = page.locator('#payload-error');
    await expect.poll(() => problem.isVisible()).toBe(true);
    expect(await problem.textContent()).toMatch(/^Invalid JSON/);
    expect(await page.locator('.message').count()).toBe(0);
    expect(await page.locator('#render-output').isVisible()).toBe(false);
    await screenshot(page, 'ui-preview-invalid-json');

    await page.fill(
      '#payload',
      JSON.stringify({ version: '3', groupKey: 'k', status: 'firing', receiver: 'r', alerts: [] }),
    );
    await expect.poll(() => problem.textContent()).toContain('invalid Alertmanager payload');
    const issues = await problem.locator('li').allTextContents();
    expect(issues).toEqual(
      expect.arrayContaining([expect.stringMatching(/^version: must be "4"/), expect.stringMatching(/^alerts: /)]),
    );

    // Back to a valid payload: the error goes away.
    await page.selectOption('#sample', 'firing');
    await expect.poll(() => problem.isVisible()).toBe(false);
    expect(await page.locator('.message .embed').count()).toBe(2);
  });

  it('loads only its own files, under a strict Content-Security-Policy', async () => {
    await responses.settled();
    const origins = new Set(responses.bodies.map((b) => new URL(b.url).origin));
    expect([...origins]).toEqual([service.url]);
    const res = await fetch(`${service.url}/ui/`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).not.toMatch(/<script>|\sstyle=|\son[a-z]+=/);
    // The 400 for the invalid payload is logged by Chromium as a failed load; nothing else.
    expect(consoleErrors.filter((e) => !e.includes('400 (Bad Request)'))).toEqual([]);
  });
});

/** A shipped sample as the page loads it. */
function fixtureSample(name: string): unknown {
  return JSON.parse(readFileSync(join(SAMPLES_DIR, `${name}.json`), 'utf8'));
}
