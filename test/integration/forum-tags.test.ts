import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const CRITICAL = '111111111111111111';
const PAGED = '222222222222222222';
const WARNING = '333333333333333333';
const RESOLVED = '444444444444444444';

/** The resolved sample as another group, of warnings, that alertcord first hears of resolved. */
function resolvedWarnings() {
  const body = fixture('resolved');
  body.groupKey = '{}:{alertname="DiskFilling"}';
  body.groupLabels = { alertname: 'DiskFilling' };
  body.commonLabels = { alertname: 'DiskFilling', severity: 'warning' };
  body.alerts = body.alerts.map((a, i) => ({
    ...a,
    fingerprint: `disk${i}`,
    labels: { alertname: 'DiskFilling', severity: 'warning', instance: `db-${i}` },
  }));
  return body;
}

describe('forum tags', () => {
  let emulator: Emulator;
  let hook: WebhookHandle;
  let service: TestService;

  beforeAll(async () => {
    emulator = await startEmulator();
    hook = emulator.createWebhook({ forum: true });
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        targets: {
          forum: {
            webhook_url: hook.url,
            forum: true,
            forum_tags: { critical: [CRITICAL, PAGED], warning: [WARNING], resolved: [RESOLVED] },
          },
        },
        routes: [{ targets: ['forum'] }],
      }),
    );
  });
  afterAll(async () => {
    await service.shutdown();
    await emulator.close();
  });

  it('tags the post when it is created, from the most urgent severity; the edit sends none', async () => {
    await service.post(fixture('firing'));
    const starter = await eventually(() => {
      const [m] = emulator.messagesFor(hook.id);
      expect(m).toBeDefined();
      return m!;
    });
    expect(emulator.thread(starter.id)!.appliedTags).toEqual([CRITICAL, PAGED]);

    await service.post(fixture('resolved'));
    await eventually(() => expect(emulator.messagesFor(hook.id)[0]!.edits).toBe(1));
    const patches = emulator.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]!.status).toBe(200);
    expect(patches[0]!.body).not.toHaveProperty('applied_tags');
    // Webhooks cannot retag a post: it keeps the tags it was created with.
    expect(emulator.thread(starter.id)!.appliedTags).toEqual([CRITICAL, PAGED]);
  });

  it('adds the resolved tags to a post created for a group already resolved', async () => {
    await service.post(resolvedWarnings());
    const post = await eventually(() => {
      const m = emulator.messagesFor(hook.id).find((x) => x.body.thread_name?.includes('DiskFilling'));
      expect(m).toBeDefined();
      return m!;
    });
    expect(post.body.applied_tags).toEqual([WARNING, RESOLVED]);
    expect(emulator.thread(post.id)!.appliedTags).toEqual([WARNING, RESOLVED]);
    for (const r of emulator.requests) expect(r.specErrors).toBeUndefined();
  });
});
