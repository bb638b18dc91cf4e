import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, inCI, launchBrowser } from '../support/browser.js';
import { startTestService, testConfig, type TestService } from '../support/service.js';

const USER = { username: 'oncall', password: 'pager-secret-0123' };

describe.skipIf(!chromiumAvailable() && !inCI)('web UI behind receiver auth (headless Chromium)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService(
      testConfig({
        server: { host: '127.0.0.1', port: 0, auth: { basic: USER } },
        targets: { team: { dry_run: true } },
        routes: [{ targets: ['team'] }],
      }),
    );
  });
  afterAll(() => service.shutdown());

  it('works with the basic auth a browser sends, and shows nothing without it', async () => {
    const withCredentials = await launchBrowser({ httpCredentials: USER });
    try {
      const page = await withCredentials.context.newPage();
      await page.goto(`${service.url}/ui/`);
      // The page's own API calls carry the credentials too: samples, templates, render.
      await expect.poll(() => page.locator('.message .embed').count(), { timeout: 8000 }).toBe(2);
      await page.goto(`${service.url}/ui/#status`);
      await page.locator('#targets tr[data-target="team"]').waitFor();
    } finally {
      await withCredentials.close();
    }

    const anonymous = await launchBrowser();
    try {
      const page = await anonymous.context.newPage();
      // Chromium either shows the 401 or, headless with no one to ask, cancels the login.
      const outcome = await page.goto(`${service.url}/ui/`).then(
        (res) => String(res?.status()),
        (err: Error) => err.message,
      );
      expect(outcome).toMatch(/^401$|ERR_INVALID_AUTH_CREDENTIALS/);
      expect(await page.locator('#preview').count()).toBe(0);
      expect(await page.content()).not.toContain(USER.password);
    } finally {
      await anonymous.close();
    }
  });
});
