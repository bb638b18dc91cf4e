import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { fixture } from '../fixtures/index.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const GREEN = 0x2ecc71;

describe('a forum post archived before its group resolves', () => {
  let emulator: Emulator;
  let hook: WebhookHandle;
  let service: TestService;

  beforeAll(async () => {
    emulator = await startEmulator({ webhookLimit: { limit: 50, windowMs: 2000 } });
    hook = emulator.createWebhook({ forum: true });
    service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        targets: { forum: { webhook_url: hook.url, forum: true } },
        routes: [{ targets: ['forum'] }],
      }),
    );
  });
  afterAll(async () => {
    await service.shutdown();
    await emulator.close();
  });

  it('reopens the post with a notice and turns its first message green', async () => {
    const firing = fixture('firing');
    const resolved = fixture('resolved');
    await service.post(firing);
    const starter = await eventually(() => {
      const [m] = emulator.messagesFor(hook.id);
      expect(m).toBeDefined();
      return m!;
    });
    const thread = starter.threadId!;
    expect(thread).toBe(starter.id);
    emulator.archiveThread(thread);

    await service.post(resolved);
    await eventually(() => expect(emulator.messagesFor(hook.id)[0]!.edits).toBe(1));

    const [original, notice, ...more] = emulator.messagesFor(hook.id);
    expect(more).toEqual([]);
    expect(original!.id).toBe(starter.id);
    for (const embed of original!.body.embeds) expect(embed.color).toBe(GREEN);
    expect(notice).toMatchObject({ threadId: thread, body: { allowed_mentions: { parse: [] } } });
    expect(notice!.body.content).toContain('Resolved:');
    expect(emulator.thread(thread)!.archived).toBe(false);

    // The post, then: the refused edit, the notice that reopens the thread, the edit again.
    const requests = emulator.requests.map((r) => `${r.method} ${r.status} ${r.query.thread_id ?? '-'}`);
    expect(requests).toEqual(['POST 200 -', `PATCH 400 ${thread}`, `POST 200 ${thread}`, `PATCH 200 ${thread}`]);
    expect(emulator.requests[1]!.responseBody).toEqual({ message: 'Thread is archived', code: 50083 });
    expect(emulator.requests[3]!.path).toContain(`/messages/${starter.id}`);
    expect(service.delivery.deadLetters.total).toBe(0);
  });
});
