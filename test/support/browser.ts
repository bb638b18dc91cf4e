import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; .ci/run installs it. No browser is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

/** Outside CI a machine without chromium skips the browser tests; in CI they must run. */
export const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';

// The machine has no internet: keep Chromium from trying to reach Google's services.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, removed on close. */
export async function launchBrowser(options: { httpCredentials?: { username: string; password: string } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'alertcord-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
    ...options,
  });
  // paste() and the copy button go through the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  } satisfies Browser;
}

const ARTIFACTS = 'test-artifacts';
const DOCS = 'docs';

/**
 * Every screenshot goes to test-artifacts/; with UPDATE_SCREENSHOTS=1 the ones named for the
 * docs are also written to docs/, where the README shows them.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { docsName?: string; fullPage?: boolean } = {},
): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const image = await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: options.fullPage ?? true });
  const { docsName } = options;
  if (docsName && process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    writeFileSync(join(DOCS, `${docsName}.png`), image);
  }
}

/** Every response body the page received (HTML, scripts, styles, API answers), as text. */
export function recordResponses(page: Page): { bodies: { url: string; text: string }[]; settled: () => Promise<void> } {
  const bodies: { url: string; text: string }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    pending.push(
      response
        .body()
        .then((body) => void bodies.push({ url: response.url(), text: body.toString('utf8') }))
        // Redirects and aborted requests have no body.
        .catch(() => undefined),
    );
  });
  return { bodies, settled: async () => void (await Promise.all(pending)) };
}

/** The page globals tests reach into; this test program is compiled without the DOM library. */
interface PageGlobals {
  navigator: { clipboard: { writeText(text: string): Promise<void>; readText(): Promise<string> } };
}

/** Pastes like a user, through the clipboard (typing 200 kB would take seconds). */
export async function paste(page: Page, selector: string, text: string): Promise<void> {
  await page.evaluate((t) => (globalThis as unknown as PageGlobals).navigator.clipboard.writeText(t), text);
  await page.focus(selector);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}

export function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
}

/**
 * Runs the page's own markdown module on each text and returns what it built: the HTML, and
 * the text a reader sees. Passed as a string: vitest would rewrite a dynamic import() in a
 * function, and the page's CSP forbids eval, so the module is imported like the page does.
 */
export function renderMarkdownInPage(page: Page, texts: string[]): Promise<{ html: string; text: string }[]> {
  return page.evaluate<{ html: string; text: string }[]>(`(async () => {
    const { markdown } = await import('./markdown.js');
    return ${JSON.stringify(texts)}.map((t) => {
      const box = document.createElement('div');
      box.append(...markdown(t));
      return { html: box.innerHTML, text: box.textContent };
    });
  })()`);
}
