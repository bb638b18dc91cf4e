import fc from 'fast-check';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/render/markdown.js';
import { chromiumAvailable, inCI, launchBrowser, renderMarkdownInPage, type Browser } from '../support/browser.js';
import { startTestService, testConfig, type TestService } from '../support/service.js';

const p = (inner: string) => `<span class="md-p">${inner}</span>`;
const LINK_ATTRS = 'target="_blank" rel="noopener noreferrer"';

describe.skipIf(!chromiumAvailable() && !inCI)("web UI: Discord markdown in the page's renderer", () => {
  let service: TestService;
  let browser: Browser;
  let page: Page;
  const render = async (text: string) => (await renderMarkdownInPage(page, [text]))[0]!;

  beforeAll(async () => {
    service = await startTestService(testConfig({ targets: { t: { dry_run: true } }, routes: [{ targets: ['t'] }] }));
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(`${service.url}/ui/`);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.shutdown();
  });

  it.each([
    [
      '**bold** *it* _it_ __under__ ~~gone~~ `a*b` ||secret||',
      p(
        '<strong>bold</strong> <em>it</em> <em>it</em> <u>under</u> <s>gone</s> <code class="md-code">a*b</code> <span class="md-spoiler">secret</span>',
      ),
    ],
    ['***both***', p('<strong><em>both</em></strong>')],
    ['snake_case_name and 2*3*4', p('snake_case_name and 2<em>3</em>4')],
    ['\\*not italic\\* \\_nor\\_ a\\\\b \\`x\\`', p('*not italic* _nor_ a\\b `x`')],
    ['**a \\** b**', p('<strong>a ** b</strong>')],
    [
      '[Runbook](https://runbooks.example/a) https://grafana.example/d/x.',
      p(
        `<a class="md-link" href="https://runbooks.example/a" ${LINK_ATTRS}>Runbook</a> <a class="md-link" href="https://grafana.example/d/x" ${LINK_ATTRS}>https://grafana.example/d/x</a>.`,
      ),
    ],
    ['[click](javascript:alert(1))', p('[click](javascript:alert(1))')],
    ['<img src=x onerror=alert(1)> & "q"', p('&lt;img src=x onerror=alert(1)&gt; &amp; "q"')],
    ['```js\nconst a = "<b>";\n```', '<pre class="md-codeblock"><code>const a = "&lt;b&gt;";\n</code></pre>'],
    [
      '# Title\n> quoted **x**\n> more\n- one\n- two\nplain\n-# small',
      '<h1 class="md-h1">Title</h1><blockquote class="md-quote">quoted <strong>x</strong>\nmore</blockquote><ul class="md-list"><li>one</li><li>two</li></ul>' +
        p('plain') +
        '<small class="md-subtext">small</small>',
    ],
    ['\\# not a heading\n\\> not a quote', p('# not a heading\n&gt; not a quote')],
  ])('%j', async (text, html) => {
    expect((await render(text)).html).toBe(html);
  });

  it('shows <t:UNIX:R> as a relative time and <t:UNIX:D> as a date', async () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const { html, text } = await render(`<t:${nowSeconds - 7200}:R> / <t:1764558000:D>`);
    expect(html).toContain(`class="md-timestamp"`);
    expect(text).toBe('2 hours ago / December 1, 2025');
  });

  it('shows any alert text, once escaped by the template, exactly as it was written', async () => {
    // Characters that mean something in Discord markdown, and a few that do not.
    const char = fc.constantFrom(...'*_~|`[]()<>#->@\\\n !aZ1.'.split(''), '@everyone', '<@1>', '1. ', '```');
    const texts = fc.sample(
      fc.array(char, { maxLength: 40 }).map((cs) => cs.join('')),
      { numRuns: 300, seed: 9 },
    );
    const rendered = await renderMarkdownInPage(page, texts.map(escapeMarkdown));
    rendered.forEach(({ text }, i) => {
      // Mentions are broken with a zero-width space so they cannot highlight anyone.
      expect(text.replaceAll('\u200b', ''), JSON.stringify(texts[i])).toBe(texts[i]);
    });
  });
});
