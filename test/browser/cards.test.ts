/**
 * The preview draws a Components V2 card as the Discord client does: a container with the
 * severity's accent bar, its texts, the section's button beside them, the row of link buttons
 * below; and limit bars for the V2 totals.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderResponse } from '../../src/server/render-response.js';
import { linkButtons, type Component } from '../../src/discord/components.js';
import { chromiumAvailable, inCI, launchBrowser, screenshot, type Browser } from '../support/browser.js';
import { startTestService, testConfig, type TestService } from '../support/service.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../src/alertmanager/samples.js';

const rgb = (color: number) => `rgb(${color >> 16}, ${(color >> 8) & 0xff}, ${color & 0xff})`;

describe.skipIf(!chromiumAvailable() && !inCI)('web UI: a cards preview (headless Chromium)', () => {
  let service: TestService;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    service = await startTestService(
      testConfig({ targets: { team: { dry_run: true } }, routes: [{ targets: ['team'] }] }),
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
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

  it('shows each card with its accent bar, texts and link buttons, and the V2 limit bars', async () => {
    await page.selectOption('#template', 'cards');
    await page.selectOption('#sample', 'firing');
    const payload = JSON.parse(readFileSync(join(SAMPLES_DIR, 'firing.json'), 'utf8')) as unknown;
    const res = await fetch(`${service.url}/api/v1/render`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'cards', payload }),
    });
    const expected = (await res.json()) as RenderResponse;
    const components = expected.messages[0]!.components as Component[];
    const cards = page.locator('.message .component-container');
    await expect.poll(() => cards.count()).toBe(components.length);

    const bars = await page.evaluate<string[]>(
      "[...document.querySelectorAll('.message .component-container')].map((el) => getComputedStyle(el).borderLeftColor)",
    );
    expect(bars).toEqual(components.map((c) => (c.type === 17 ? rgb(c.accent_color!) : '')));

    // Every link button of the message, in order, with its label and url.
    const shown = await page
      .locator('.message .component-button')
      .evaluateAll((els) =>
        els.map((el) => ({ label: el.firstChild?.textContent ?? '', url: el.getAttribute('href') })),
      );
    expect(shown).toEqual(linkButtons(components).map((b) => ({ label: b.label, url: b.url })));
    expect(shown.map((b) => b.label)).toEqual(expect.arrayContaining(['Runbook', 'Silence', 'Alertmanager']));

    // The section's button sits to the right of its texts.
    const section = cards.first().locator('.component-section').first();
    const texts = await section.locator('.component-section-texts').boundingBox();
    const button = await section.locator('.component-button').boundingBox();
    expect(button!.x).toBeGreaterThan(texts!.x + texts!.width - 1);
    expect(await section.locator('h3').first().textContent()).toContain('HighErrorRate');

    for (const limit of ['components', 'text display characters']) {
      await expect.poll(() => page.locator(`[data-limit="${limit}"]`).count()).toBeGreaterThan(0);
    }
    await screenshot(page, 'preview-cards', { docsName: 'preview-cards' });
    expect(consoleErrors).toEqual([]);
  });
});
