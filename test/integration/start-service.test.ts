import { describe, expect, it } from 'vitest';
import { startService } from '../../src/main.js';
import { loadTemplateSet } from '../../src/render/template-set.js';
import { testConfig } from '../support/service.js';

describe('startService', () => {
  it('runs on the templates it is handed instead of loading them again', async () => {
    // A templates directory that is gone: loading the templates again would fail the start.
    const config = testConfig({
      templates: { dir: '/nonexistent/alertcord-templates' },
      targets: { t: { dry_run: true } },
      routes: [{ targets: ['t'] }],
    });
    const templates = loadTemplateSet({ now: Date.now });
    const service = await startService({
      config,
      templates,
      logSink: { write: () => {} },
      dryRunOut: { write: () => {} },
    });
    try {
      const res = await fetch(`${service.url}/api/v1/templates`);
      expect(await res.json()).toEqual({ templates: templates.names() });
    } finally {
      await service.shutdown();
    }
  });
});
