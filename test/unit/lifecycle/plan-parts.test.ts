import { describe, expect, it } from 'vitest';
import { parseNotification, type Notification } from '../../../src/alertmanager/payload.js';
import type { ResolvedTarget } from '../../../src/config/load.js';
import type { DiscordMessage } from '../../../src/discord/message.js';
import { notificationState } from '../../../src/lifecycle/dedup.js';
import type { PostedMessage } from '../../../src/lifecycle/message-memory.js';
import { DELETED_PART, planParts } from '../../../src/lifecycle/plan-parts.js';
import { fixture } from '../../fixtures/index.js';

const ROLE = '123456789012345678';
const target = (extra: Partial<ResolvedTarget> = {}): ResolvedTarget => ({
  name: 'team',
  template: 'default',
  dry_run: false,
  webhooks: [],
  ...extra,
});
const notification = (name: 'firing' | 'resolved'): Notification => {
  const parsed = parseNotification(fixture(name));
  if (!parsed.ok) throw new Error('bad fixture');
  return parsed.notification;
};
const part = (text: string, pings = false): DiscordMessage => ({
  content: pings ? `<@&${ROLE}> ${text}` : text,
  allowed_mentions: pings ? { parse: [], roles: [ROLE] } : { parse: [] },
});
const posted = (ids: string[], n: Notification, extra: Partial<PostedMessage> = {}): PostedMessage => ({
  webhookId: '9',
  messageIds: ids,
  threadId: undefined,
  resolved: n.status === 'resolved',
  state: notificationState(n),
  ...extra,
});

describe('planParts', () => {
  const firing = notification('firing');
  const resolved = notification('resolved');

  it('posts every part of a group it has no message for, pings kept', () => {
    const plan = planParts('repost', target(), firing, [part('a', true), part('b')], undefined);
    expect(plan.routes).toEqual([
      { kind: 'post', threadId: undefined },
      { kind: 'post', threadId: undefined },
    ]);
    expect(plan.parts[0]!.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
  });

  it('edits the parts it has, posts the extra ones, and none of them ping', () => {
    const plan = planParts('repost', target(), resolved, [part('a', true), part('b')], posted(['1'], firing));
    expect(plan.routes).toEqual([
      { kind: 'edit', messageId: '1', threadId: undefined, fallback: { kind: 'post', threadId: undefined } },
      { kind: 'post', threadId: undefined },
    ]);
    for (const p of plan.parts) expect(p.allowed_mentions).toEqual({ parse: [] });
  });

  it('deletes an old part the new render no longer needs instead of leaving stale firing content', () => {
    const plan = planParts('repost', target(), resolved, [part('all resolved')], posted(['1', '2', '3'], firing));
    expect(plan.routes.map((r) => `${r.kind}${r.kind === 'post' ? '' : ` ${r.messageId}`}`)).toEqual([
      'edit 1',
      'delete 2',
      'delete 3',
    ]);
    expect(plan.parts.slice(1)).toEqual([DELETED_PART, DELETED_PART]);
  });

  it('posts a group that fires again after its message showed it resolved, with pings', () => {
    const plan = planParts('repost', target(), firing, [part('a', true)], posted(['1'], resolved));
    expect(plan.routes).toEqual([{ kind: 'post', threadId: undefined }]);
    expect(plan.parts[0]!.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
  });

  it('reposts a repeat without pings and deletes the old message, or edits it with dedup.repeat: edit', () => {
    const repost = planParts('repost', target(), firing, [part('a', true)], posted(['1', '2'], firing));
    expect(repost.routes).toEqual([
      { kind: 'post', threadId: undefined },
      { kind: 'delete', messageId: '1', threadId: undefined },
      { kind: 'delete', messageId: '2', threadId: undefined },
    ]);
    expect(repost.parts[0]!.allowed_mentions).toEqual({ parse: [] });
    // A forum post's first message is the post: edited in place, bumped by a notice in its thread.
    const forum = planParts(
      'repost',
      target({ forum: true }),
      firing,
      [part('a')],
      posted(['7'], firing, { threadId: '7' }),
    );
    expect(forum.routes).toEqual([
      { kind: 'edit', messageId: '7', threadId: '7', fallback: { kind: 'post', threadId: undefined } },
      { kind: 'post', threadId: '7', notice: true },
    ]);
    expect(forum.parts[1]!.content).toContain('Still firing: alertname=HighErrorRate, service=payment');
    const edit = planParts('edit', target(), firing, [part('a', true)], posted(['1'], firing));
    expect(edit.routes[0]).toMatchObject({ kind: 'edit', messageId: '1' });
  });

  it('with resolve: new never edits; with both it adds a notice on resolve', () => {
    const fresh = planParts('repost', target({ resolve: 'new' }), resolved, [part('a')], posted(['1'], firing));
    expect(fresh.routes).toEqual([{ kind: 'post', threadId: undefined }]);
    const both = planParts('repost', target({ resolve: 'both' }), resolved, [part('a')], posted(['1'], firing));
    expect(both.routes.map((r) => r.kind)).toEqual(['edit', 'post']);
    expect(both.routes[1]).toMatchObject({ notice: true });
    expect(both.parts[1]!.content).toContain('Resolved: alertname=HighErrorRate, service=payment');
  });

  it('names a forum post after its group and keeps updates in its thread; a fixed thread_id is used for posts', () => {
    const forum = planParts('repost', target({ forum: true }), firing, [part('a')], undefined);
    expect(forum.parts[0]!.thread_name).toBe('alertname=HighErrorRate, service=payment');
    const update = planParts(
      'repost',
      target({ forum: true }),
      resolved,
      [part('a'), part('b')],
      posted(['7'], firing, { threadId: '7' }),
    );
    expect(update.routes).toEqual([
      // The starter message gone means the thread is gone: a new post opens a new thread.
      { kind: 'edit', messageId: '7', threadId: '7', fallback: { kind: 'post', threadId: undefined } },
      { kind: 'post', threadId: '7' },
    ]);
    const fixed = planParts('repost', target({ thread_id: '555555555555555555' }), firing, [part('a')], undefined);
    expect(fixed.routes).toEqual([{ kind: 'post', threadId: '555555555555555555' }]);
  });
});
