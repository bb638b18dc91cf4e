import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/alertmanager/payload.js';
import type { ResolvedTarget } from '../../../src/config/load.js';
import type { MessageSink } from '../../../src/discord/client.js';
import type { DiscordMessage } from '../../../src/discord/message.js';
import type { SendResult } from '../../../src/discord/send-result.js';
import { InMemoryMessageMemory } from '../../../src/lifecycle/message-memory.js';
import { testDelivery, fakeWebhook, notification, webhookTarget } from '../../support/delivery.js';
import { FakeClock } from '../../support/fake-clock.js';
import { okAnswer } from '../../support/fake-channel.js';

interface Request {
  method: 'execute' | 'edit';
  messageId: string | undefined;
  threadId: string | undefined;
  message: DiscordMessage;
}

const archived: SendResult = { kind: 'archived', status: 400, rateLimit: {} };

/** Posts get ids 1, 2, …; each edit is answered by `edits` in turn (ok once it runs out). */
function forumSink(edits: SendResult['kind'][]) {
  const requests: Request[] = [];
  const sink: MessageSink = {
    execute: async (_w, message, o) => {
      requests.push({ method: 'execute', messageId: undefined, threadId: o?.threadId, message });
      return okAnswer(String(requests.filter((r) => r.method === 'execute').length));
    },
    edit: async (_w, messageId, message, o) => {
      requests.push({ method: 'edit', messageId, threadId: o?.threadId, message });
      return edits.shift() === 'archived' ? archived : okAnswer(messageId);
    },
    delete: async () => okAnswer(undefined),
    close: async () => {},
  };
  return { sink, requests };
}

const group = (alerts = 1): Notification => ({
  ...notification('HighCPU', 'info', alerts),
  groupLabels: { alertname: 'HighCPU' },
});

function resolved(n: Notification): Notification {
  return { ...n, status: 'resolved', alerts: n.alerts.map((a) => ({ ...a, status: 'resolved' })) };
}

function setup(edits: SendResult['kind'][], extra: Partial<ResolvedTarget> = {}) {
  const clock = new FakeClock();
  const { sink, requests } = forumSink(edits);
  const memory = new InMemoryMessageMemory({ ttlMs: 86_400_000, maxEntries: 100, clock });
  const { delivery } = testDelivery(clock, sink, { memory });
  const target = webhookTarget('forum', [fakeWebhook()], { forum: true, ...extra });
  const firing = group();
  const run = async (n: Notification) => {
    expect(delivery.enqueue(n, [target]).ok).toBe(true);
    await clock.advance(5_000);
  };
  return { delivery, requests, memory, target, firing, run };
}

const summary = (requests: Request[]) =>
  requests.map((r) => `${r.method} ${r.messageId ?? '-'} in ${r.threadId ?? '-'}`);

describe('an edit in an archived thread', () => {
  it('posts a notice into the thread to reopen it, then edits the original message', async () => {
    const { delivery, requests, memory, target, firing, run } = setup(['archived']);
    await run(firing);
    await run(resolved(firing));
    expect(summary(requests)).toEqual(['execute - in -', 'edit 1 in 1', 'execute - in 1', 'edit 1 in 1']);
    const notice = requests[2]!.message;
    expect(notice.content).toContain('Resolved: alertname=HighCPU');
    expect(notice.allowed_mentions).toEqual({ parse: [] });
    expect(notice).not.toHaveProperty('thread_name');
    expect(requests[3]!.message).toEqual(requests[1]!.message);
    expect(delivery.deadLetters.total).toBe(0);
    // The group's message is still the first post, not the notice.
    expect(memory.get(target.name, firing.groupKey)).toMatchObject({
      messageIds: ['1'],
      threadId: '1',
      resolved: true,
    });
  });

  it('tries to reopen once per edit: refused again, the update is dead-lettered', async () => {
    const { delivery, requests, firing, run } = setup(['archived', 'archived', 'archived']);
    await run(firing);
    await run(resolved(firing));
    expect(summary(requests)).toEqual(['execute - in -', 'edit 1 in 1', 'execute - in 1', 'edit 1 in 1']);
    expect(delivery.deadLetters.list()).toMatchObject([
      { reason: 'rejected', detail: expect.stringContaining('50083') },
    ]);
  });

  it('with resolve: both, the notice that reopens the thread is the only one', async () => {
    const { delivery, requests, firing, run } = setup(['archived'], { resolve: 'both' });
    await run(firing);
    await run(resolved(firing));
    expect(summary(requests)).toEqual(['execute - in -', 'edit 1 in 1', 'execute - in 1', 'edit 1 in 1']);
    expect(delivery.deadLetters.total).toBe(0);
  });

  it('says what changed when the group still fires', async () => {
    const { requests, firing, run } = setup(['archived']);
    await run(firing);
    await run(group(2));
    expect(requests[2]!.message.content).toContain('Changed: alertname=HighCPU');
  });
});
