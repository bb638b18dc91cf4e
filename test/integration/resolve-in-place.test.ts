import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, visibleText, type Emulator, type WebhookHandle } from '../emulator/index.js';
import { parseNotification } from '../../src/alertmanager/payload.js';
import { fixture } from '../fixtures/index.js';
import { RESOLVED_LOOK } from '../../src/shared/severity.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const ROLE = '123456789012345678';
const USER = '223456789012345678';

/** A firing and a resolved notification of one group of its own, so tests do not share messages. */
function group(name: string) {
  const firing = fixture('firing');
  const resolved = fixture('resolved');
  for (const n of [firing, resolved]) {
    n.groupKey = `{}:{alertname="${name}"}`;
    n.groupLabels = { alertname: name };
  }
  return { firing, resolved };
}

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('resolve in place, threads and mentions against the emulator', () => {
  let emulator: Emulator;
  let hooks: Record<'edit' | 'both' | 'forum' | 'fresh' | 'pool1' | 'pool2', WebhookHandle>;
  let service: TestService;
  const config = () =>
    testConfig({
      discord: { api_base_url: emulator.url },
      targets: {
        edit: { webhook_url: hooks.edit.url, mentions: { roles: [ROLE], users: [USER] } },
        both: { webhook_url: hooks.both.url, resolve: 'both' },
        forum: { webhook_url: hooks.forum.url, forum: true },
        fresh: { webhook_url: hooks.fresh.url, resolve: 'new' },
        pool: { webhook_urls: [hooks.pool1.url, hooks.pool2.url] },
      },
      routes: [
        { path: 'edit', targets: ['edit'] },
        { path: 'both', targets: ['both'] },
        { path: 'forum', targets: ['forum'] },
        { path: 'fresh', targets: ['fresh'] },
        { path: 'pool', targets: ['pool'] },
      ],
    });

  beforeAll(async () => {
    // A roomy bucket: these tests are about edits, not rate limits.
    emulator = await startEmulator({ webhookLimit: { limit: 50, windowMs: 2000 } });
    hooks = {
      edit: emulator.createWebhook(),
      both: emulator.createWebhook(),
      forum: emulator.createWebhook({ forum: true }),
      fresh: emulator.createWebhook(),
      pool1: emulator.createWebhook({ channelId: '999999999999999999' }),
      pool2: emulator.createWebhook({ channelId: '999999999999999999' }),
    };
    service = await startTestService(config());
  });
  afterAll(async () => {
    await service.shutdown();
    await emulator.close();
  });

  const requestsFor = (hook: WebhookHandle, method: 'POST' | 'PATCH') =>
    emulator.requests.filter((r) => r.webhookId === hook.id && r.method === method);

  it('edits the message when its group resolves: green, one edit, no new message, no second ping', async () => {
    const g = group('EditOnResolve');
    await service.post(g.firing, { path: '/alerts/edit' });
    const [posted] = await eventually(() => {
      const m = emulator.messagesFor(hooks.edit.id);
      expect(m).toHaveLength(1);
      return m;
    });
    const post = requestsFor(hooks.edit, 'POST')[0]!;
    // The first post pings exactly the configured ids, nothing parsed from text.
    expect(post.body).toMatchObject({ allowed_mentions: { parse: [], roles: [ROLE], users: [USER] } });
    expect((post.body as { content: string }).content).toContain(`<@&${ROLE}>`);

    await service.post(g.resolved, { path: '/alerts/edit' });
    await eventually(() => expect(emulator.messagesFor(hooks.edit.id)[0]!.edits).toBe(1));
    await settle();
    const messages = emulator.messagesFor(hooks.edit.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.id).toBe(posted!.id);
    for (const embed of messages[0]!.body.embeds) expect(embed.color).toBe(0x2ecc71);
    const [patch] = requestsFor(hooks.edit, 'PATCH');
    expect(patch!.status).toBe(200);
    expect(patch!.path).toContain(`/messages/${posted!.id}`);
    expect((patch!.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
  });

  it('lets only the configured ids ping, whatever the alert text says, and never on the edit', async () => {
    const hostile = fixture('markdown-mentions');
    await service.post(hostile, { path: '/alerts/edit' });
    const sneaky = () => requestsFor(hooks.edit, 'POST').filter((r) => JSON.stringify(r.body).includes('Sneaky'));
    await eventually(() => expect(sneaky()).toHaveLength(1));
    expect((sneaky()[0]!.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({
      parse: [],
      roles: [ROLE],
      users: [USER],
    });
    const resolved = {
      ...hostile,
      status: 'resolved',
      alerts: hostile.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2026-12-01T03:30:00Z' })),
    };
    await service.post(resolved, { path: '/alerts/edit' });
    const edits = () => requestsFor(hooks.edit, 'PATCH').filter((r) => JSON.stringify(r.body).includes('Sneaky'));
    await eventually(() => expect(edits()).toHaveLength(1));
    expect((edits()[0]!.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
  });

  it('posts anew when the message to edit was deleted (404 10008)', async () => {
    const g = group('DeletedMessage');
    await service.post(g.firing, { path: '/alerts/edit' });
    const first = await eventually(() => {
      const m = emulator.messagesFor(hooks.edit.id).filter((x) => visibleText(x).includes('DeletedMessage'));
      expect(m).toHaveLength(1);
      return m[0]!;
    });
    const deleted = await fetch(
      `${emulator.url}/api/v10/webhooks/${hooks.edit.id}/${hooks.edit.token}/messages/${first.id}`,
      { method: 'DELETE' },
    );
    expect(deleted.status).toBe(204);

    await service.post(g.resolved, { path: '/alerts/edit' });
    const fresh = await eventually(() => {
      const m = emulator
        .messagesFor(hooks.edit.id)
        .filter((x) => x.deletedAt === undefined && visibleText(x).includes('DeletedMessage'));
      expect(m).toHaveLength(1);
      return m[0]!;
    });
    expect(fresh.id).not.toBe(first.id);
    for (const embed of fresh.body.embeds) expect(embed.color).toBe(0x2ecc71);
    expect(requestsFor(hooks.edit, 'PATCH').some((r) => r.status === 404)).toBe(true);
    expect(service.delivery.deadLetters.total).toBe(0);
  });

  it('resolve: both edits the message and posts a short notice that pings nobody', async () => {
    const g = group('BothModes');
    await service.post(g.firing, { path: '/alerts/both' });
    await eventually(() => expect(emulator.messagesFor(hooks.both.id)).toHaveLength(1));
    await service.post(g.resolved, { path: '/alerts/both' });
    await eventually(() => expect(emulator.messagesFor(hooks.both.id)).toHaveLength(2));
    const [original, notice] = emulator.messagesFor(hooks.both.id);
    expect(original!.edits).toBe(1);
    expect(original!.body.embeds[0].color).toBe(0x2ecc71);
    expect(notice!.body.content).toContain('Resolved: alertname=BothModes');
    expect(notice!.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('resolve: new posts the resolution as a new message', async () => {
    const g = group('NewMode');
    await service.post(g.firing, { path: '/alerts/fresh' });
    await eventually(() => expect(emulator.messagesFor(hooks.fresh.id)).toHaveLength(1));
    await service.post(g.resolved, { path: '/alerts/fresh' });
    await eventually(() => expect(emulator.messagesFor(hooks.fresh.id)).toHaveLength(2));
    expect(emulator.messagesFor(hooks.fresh.id).every((m) => m.edits === 0)).toBe(true);
  });

  it('opens one forum thread per group; repeats and the resolution go into that thread', async () => {
    const g = group('ForumGroup');
    await service.post(g.firing, { path: '/alerts/forum' });
    const starter = await eventually(() => {
      const m = emulator.messagesFor(hooks.forum.id);
      expect(m).toHaveLength(1);
      return m[0]!;
    });
    expect(requestsFor(hooks.forum, 'POST')[0]!.body).toMatchObject({ thread_name: 'alertname=ForumGroup' });
    expect(starter.threadId).toBe(starter.id);

    // Alertmanager's repeat_interval re-send (dedup.repeat: repost): the post is never deleted
    // (that deletes the thread); it is edited, and a notice in its thread bumps it.
    await service.post(g.firing, { path: '/alerts/forum' });
    await eventually(() => expect(emulator.messagesFor(hooks.forum.id)).toHaveLength(2));
    const repeat = requestsFor(hooks.forum, 'POST')[1]!;
    expect(repeat.query.thread_id).toBe(starter.id);
    expect(repeat.body).not.toHaveProperty('thread_name');
    expect(repeat.body).not.toHaveProperty('embeds');
    expect((repeat.body as { content: string }).content).toContain('Still firing: alertname=ForumGroup');
    expect(requestsFor(hooks.forum, 'PATCH').map((r) => r.path)).toEqual([expect.stringContaining(starter.id)]);

    await service.post(g.resolved, { path: '/alerts/forum' });
    await eventually(() => expect(requestsFor(hooks.forum, 'PATCH')).toHaveLength(2));
    const patch = requestsFor(hooks.forum, 'PATCH')[1]!;
    expect(patch.status).toBe(200);
    expect(patch.query.thread_id).toBe(starter.id);
    expect(patch.path).toContain(`/messages/${starter.id}`);
    expect(emulator.messagesFor(hooks.forum.id)).toHaveLength(2);
    // The post, the one message showing the group, shows it resolved.
    const embeds = emulator.messagesFor(hooks.forum.id)[0]!.body.embeds as { color?: number }[];
    expect(embeds.length).toBeGreaterThan(0);
    for (const e of embeds) expect(e.color).toBe(RESOLVED_LOOK.color);
    expect(emulator.counts().status400).toBe(0);
  });

  it('in a webhook pool, edits each message through the webhook that posted it', async () => {
    const groups = ['PoolA', 'PoolB', 'PoolC', 'PoolD'].map(group);
    for (const g of groups) await service.post(g.firing, { path: '/alerts/pool' });
    const all = () => [...emulator.messagesFor(hooks.pool1.id), ...emulator.messagesFor(hooks.pool2.id)];
    await eventually(() => expect(all()).toHaveLength(4));
    // In reverse order, so taking the least recently used webhook would pick the wrong one.
    for (const g of [...groups].reverse()) await service.post(g.resolved, { path: '/alerts/pool' });
    await eventually(() => expect(all().every((m) => m.edits === 1)).toBe(true));
    await settle();
    expect(all()).toHaveLength(4);
    const patches = emulator.requests.filter((r) => r.method === 'PATCH' && r.webhookId !== hooks.edit.id);
    expect(patches.filter((r) => r.status !== 200)).toEqual([]);
  });

  it('posts an escalation of a group as a new message that pings, never as an edit', async () => {
    const g = group('Escalated');
    await service.post(g.firing, { path: '/alerts/edit' });
    const mine = () => requestsFor(hooks.edit, 'POST').filter((r) => JSON.stringify(r.body).includes('Escalated'));
    await eventually(() => expect(mine()).toHaveLength(1));
    const parsed = parseNotification(g.firing);
    if (!parsed.ok) throw new Error('bad fixture');
    const target = config().targets.get('edit')!;
    expect(service.delivery.enqueue(parsed.notification, [target], { note: 'still firing after 5m' }).ok).toBe(true);
    await eventually(() => expect(mine()).toHaveLength(2));
    expect((mine()[1]!.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({
      parse: [],
      roles: [ROLE],
      users: [USER],
    });
  });

  it('after a restart (memory lost) the resolution is a new message', async () => {
    const g = group('Restarted');
    await service.post(g.firing, { path: '/alerts/edit' });
    const mine = () => emulator.messagesFor(hooks.edit.id).filter((x) => visibleText(x).includes('Restarted'));
    await eventually(() => expect(mine()).toHaveLength(1));
    await service.shutdown();
    service = await startTestService(config());
    await service.post(g.resolved, { path: '/alerts/edit' });
    await eventually(() => expect(mine()).toHaveLength(2));
    expect(mine()[0]!.edits).toBe(0);
  });
});

describe('dedup.repeat: edit', () => {
  it("edits the group's message with a repeat of the state it shows, without a ping", async () => {
    const emulator = await startEmulator();
    const hook = emulator.createWebhook();
    const service = await startTestService(
      testConfig({
        discord: { api_base_url: emulator.url },
        dedup: { window: '1ms', repeat: 'edit' },
        targets: { team: { webhook_url: hook.url, mentions: { roles: [ROLE] } } },
        routes: [{ targets: ['team'] }],
      }),
    );
    try {
      const g = group('Repeated');
      await service.post(g.firing);
      await eventually(() => expect(emulator.messagesFor(hook.id)).toHaveLength(1));
      await new Promise((r) => setTimeout(r, 5));
      await service.post(g.firing);
      await eventually(() => expect(emulator.messagesFor(hook.id)[0]!.edits).toBe(1));
      expect(emulator.messagesFor(hook.id)).toHaveLength(1);
      expect(emulator.messagesFor(hook.id)[0]!.body.allowed_mentions).toEqual({ parse: [] });
    } finally {
      await service.shutdown();
      await emulator.close();
    }
  });
});
