import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/alertmanager/payload.js';
import type { ResolvedTarget } from '../../../src/config/load.js';
import type { DiscordMessage } from '../../../src/discord/message.js';
import type { Job } from '../../../src/delivery/job.js';
import { joinMessages } from '../../../src/delivery/pack.js';
import type { RepeatPolicy } from '../../../src/lifecycle/dedup.js';
import { notificationState } from '../../../src/lifecycle/dedup.js';
import { InMemoryGroupStates } from '../../../src/lifecycle/group-states.js';
import { InMemoryMessageMemory } from '../../../src/lifecycle/message-memory.js';
import { fakeChannel, RESOLVED } from '../../support/fake-channel.js';
import { FakeClock } from '../../support/fake-clock.js';
import { fakeWebhook, notification, testDelivery, webhookTarget } from '../../support/delivery.js';

const TTL_MS = 10 * 60_000;

/** One embed per alert, titled `group/alert`, green once resolved; `extra` embeds pad a group. */
function render(extra: Record<string, number>) {
  return (job: Job): DiscordMessage[] => {
    const n = job.notification;
    const embeds = n.alerts.map((a) => ({
      title: `${n.groupKey}/${a.labels.instance}`,
      color: a.status === 'resolved' ? RESOLVED : 0xe74c3c,
    }));
    for (let i = 0; i < (extra[n.groupKey] ?? 0); i++) embeds.push({ title: `${n.groupKey}/pad${i}`, color: RESOLVED });
    return [{ embeds, allowed_mentions: { parse: [] } }];
  };
}

const resolved = (n: Notification): Notification => ({
  ...n,
  status: 'resolved',
  alerts: n.alerts.map((a) => ({ ...a, status: 'resolved' })),
});

function setup(o: { repeat?: RepeatPolicy; target?: Partial<ResolvedTarget> } = {}) {
  const clock = new FakeClock();
  const channel = fakeChannel();
  const memory = new InMemoryMessageMemory({ ttlMs: TTL_MS, maxEntries: 100, clock });
  const states = new InMemoryGroupStates({ ttlMs: TTL_MS, maxEntries: 100, clock });
  const extra: Record<string, number> = {};
  const { delivery } = testDelivery(clock, channel.sink, {
    memory,
    states,
    render: render(extra),
    ...(o.repeat ? { repeat: o.repeat } : {}),
  });
  const webhook = fakeWebhook();
  const target = webhookTarget('t', [webhook], o.target);
  const send = async (n: Notification) => {
    expect(delivery.enqueue(n, [target]).ok).toBe(true);
    await clock.advance(5_000);
    expect(delivery.queued).toBe(0);
  };
  /** A packed message of these groups, as the storm digest leaves one. */
  const seedView = async (groups: Notification[]) => {
    const bodies = groups.map((n) => render(extra)({ notification: n } as Job)[0]!);
    const body = bodies.reduce((a, b) => joinMessages(a, b)!.message);
    const { messageId } = (await channel.sink.execute(webhook, body)) as { messageId: string };
    for (const n of groups) {
      const shown = { webhookId: webhook.id, messageId, threadId: undefined, resolved: false };
      memory.recordPost('t', n.groupKey, 0, { ...shown, state: notificationState(n) });
      states.set('t', n.groupKey, { notification: n, digest: false });
    }
    memory.recordView('t', {
      webhookId: webhook.id,
      messageId,
      threadId: undefined,
      groupKeys: groups.map((n) => n.groupKey),
    });
    channel.requests.length = 0;
    return messageId;
  };
  return { clock, channel, delivery, memory, extra, send, seedView, target };
}

const titles = (...groups: Notification[]) =>
  groups.flatMap((n) => n.alerts.map((a) => `${n.groupKey}/${a.labels.instance}`)).sort();

describe('a repeat leaves one live message per incident', () => {
  it('posts the repeat, then deletes the old message: the resolution leaves nothing firing', async () => {
    const { channel, delivery, send } = setup();
    const g = notification('g', 'warning', 2);
    await send(g);
    await send(g); // Alertmanager's repeat_interval
    await send(resolved(g));
    expect(channel.requests).toEqual(['post 1', 'post 2', 'delete 1', 'edit 2']);
    expect(channel.live().map((m) => m.id)).toEqual(['2']);
    expect(channel.firing()).toEqual([]);
    expect(channel.shown()).toEqual(titles(g));
    expect(delivery.deadLetters.total).toBe(0);
  });

  it('a repeat of a group in a packed message moves it out: the neighbours stay, shown once', async () => {
    const { channel, send, seedView } = setup();
    const [a, b, c] = ['a', 'b', 'c'].map((k) => notification(k, 'warning', 2)) as [
      Notification,
      Notification,
      Notification,
    ];
    const view = await seedView([a, b, c]);
    await send(b);
    expect(channel.requests).toEqual(['post 2', `edit ${view}`]);
    expect(channel.shown()).toEqual(titles(a, b, c));
    await send(resolved(b));
    expect(channel.requests.at(-1)).toBe('edit 2');
    expect(channel.firing()).toEqual(titles(a, c));
  });

  it('in a forum, edits the post and bumps it with a notice: the post itself is never deleted', async () => {
    const { channel, send } = setup({ target: { forum: true } });
    const g = { ...notification('g', 'warning', 2), groupLabels: { alertname: 'g' } };
    await send(g);
    await send(g);
    expect(channel.requests).toEqual(['post 1', 'edit 1', 'post 2']);
    expect(channel.messages[1]).toMatchObject({
      threadId: '1',
      body: { content: expect.stringContaining('Still firing: alertname=g') },
    });
    await send(resolved(g));
    expect(channel.requests.at(-1)).toBe('edit 1');
    expect(channel.firing()).toEqual([]);
    expect(
      channel
        .live()
        .filter((m) => m.body.embeds !== undefined)
        .map((m) => m.id),
    ).toEqual(['1']);
  });

  it('dedup.repeat: edit still edits in place, and nothing else', async () => {
    const { channel, send } = setup({ repeat: 'edit' });
    const g = notification('g', 'warning', 1);
    await send(g);
    await send(g);
    expect(channel.requests).toEqual(['post 1', 'edit 1']);
  });
});

describe('every group of a shared message keeps showing true', () => {
  it('a packed message deleted by hand is posted anew and every group in it learns the new one', async () => {
    const { channel, send, seedView } = setup();
    const [a, b, c] = ['a', 'b', 'c'].map((k) => notification(k, 'warning', 1)) as [
      Notification,
      Notification,
      Notification,
    ];
    const view = await seedView([a, b, c]);
    channel.deleteByHand(view);
    const a2 = notification('a', 'warning', 2);
    await send(a2);
    expect(channel.requests).toEqual([`edit ${view}`, 'post 2']);
    await send(resolved(b));
    // b edits the message that shows it now, not the one deleted by hand.
    expect(channel.requests.at(-1)).toBe('edit 2');
    expect(channel.live().map((m) => m.id)).toEqual(['2']);
    expect(channel.firing()).toEqual(titles(a2, c));
    await send(resolved(a2));
    await send(resolved(c));
    expect(channel.firing()).toEqual([]);
    expect(channel.shown()).toEqual(titles(a2, b, c));
  });

  it('a neighbour that no longer fits the view gets a message of its own, and later edits go there', async () => {
    const { channel, extra, send, seedView, delivery } = setup();
    const [a, b, c] = ['a', 'b', 'c'].map((k) => notification(k, 'warning', 3)) as [
      Notification,
      Notification,
      Notification,
    ];
    const view = await seedView([a, b, c]);
    // Rendered again, b has grown (a reloaded template, a longer duration): b and c no longer fit one message.
    extra.b = 5;
    await send(notification('a', 'warning', 4));
    expect(channel.requests).toEqual(['post 2', 'post 3', `edit ${view}`]);
    expect(channel.shown().filter((t) => !t.includes('pad'))).toEqual(titles(notification('a', 'warning', 4), b, c));
    await send(resolved(c));
    expect(channel.requests.at(-1)).toBe('edit 3');
    expect(channel.firing().filter((t) => t.startsWith('c/'))).toEqual([]);
    expect(delivery.deadLetters.total).toBe(0);
  });

  it('keeps a neighbour state as long as the view shows it, past the bound it had alone', async () => {
    const { clock, channel, send, seedView } = setup();
    const [a, b] = ['a', 'b'].map((k) => notification(k, 'warning', 1)) as [Notification, Notification];
    await seedView([a, b]);
    await clock.advance(TTL_MS * 0.6);
    const a2 = notification('a', 'warning', 2);
    await send(a2);
    await clock.advance(TTL_MS * 0.6);
    // b was set longer ago than the bound, but the view edited in between still shows it.
    await send(resolved(a2));
    expect(channel.live()).toHaveLength(1);
    expect(channel.shown()).toEqual(titles(a2, b));
    expect(channel.firing()).toEqual(titles(b));
  });
});

describe('a plan that moves groups out of a view runs to its end before they are planned again', () => {
  it('a neighbour updated between the requests of that plan keeps one message, and it resolves', async () => {
    const { clock, channel, extra, send, seedView, delivery, target } = setup();
    const [a, b, c] = ['a', 'b', 'c'].map((k) => notification(k, 'warning', 2)) as [
      Notification,
      Notification,
      Notification,
    ];
    await seedView([a, b, c]);
    // a outgrows the view, and b and c no longer fit one message: a's plan posts a, posts c
    // anew and edits the view to show b, in three requests.
    extra.a = 5;
    extra.b = 8;
    let release = () => {};
    const execute = channel.sink.execute;
    channel.sink.execute = async (...args) => {
      const gate = new Promise<void>((r) => (release = r));
      channel.sink.execute = execute;
      await gate;
      return execute(...args);
    };
    const a2 = notification('a', 'warning', 2);
    expect(delivery.enqueue(a2, [target]).ok).toBe(true);
    await clock.advance(10);
    // While a's first post is on its way, c changes; more urgent, it goes before a's next request.
    const c2 = notification('c', 'critical', 3);
    expect(delivery.enqueue(c2, [target]).ok).toBe(true);
    await clock.advance(10);
    release();
    await clock.advance(5_000);
    expect(delivery.queued).toBe(0);
    // c shows in exactly one live message, with its current state.
    const showsC = channel.live().filter((m) => m.body.embeds?.some((e) => e.title?.startsWith('c/')));
    expect(showsC).toHaveLength(1);
    expect(channel.shown().filter((t) => t.startsWith('c/'))).toEqual(titles(c2));
    for (const n of [a2, b, c2]) await send(resolved(n));
    expect(channel.firing()).toEqual([]);
    expect(delivery.deadLetters.total).toBe(0);
  });
});
