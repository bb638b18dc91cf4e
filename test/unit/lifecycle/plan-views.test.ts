import { describe, expect, it } from 'vitest';
import type { DiscordMessage } from '../../../src/discord/message.js';
import { DELETED_PART, type Plan } from '../../../src/lifecycle/plan-parts.js';
import { planViews, type ViewContext } from '../../../src/lifecycle/plan-views.js';

const quiet = { allowed_mentions: { parse: [] as [] } };
const embeds = (title: string, n = 1): DiscordMessage => ({
  ...quiet,
  embeds: Array.from({ length: n }, (_, i) => ({ title: `${title}${i}` })),
});
const view = { webhookId: '9', messageId: 'P', threadId: undefined, groupKeys: ['a', 'g', 'b'] };

function context(parts: Record<string, DiscordMessage | undefined>): ViewContext {
  return { groupKey: 'g', view: (id) => (id === 'P' ? view : undefined), partOf: (g) => parts[g] };
}

const editP: Plan['routes'][number] = { kind: 'edit', messageId: 'P', threadId: undefined, fallback: undefined };
const leaveAnew = (groupKeys: string[]) => ({
  kind: 'post',
  threadId: undefined,
  replaces: { messageId: 'P', groupKeys },
});

describe('planViews', () => {
  it('edits a shared message with the whole view: neighbours as they are now, the group in its place', () => {
    const fallback = { kind: 'post' as const, threadId: undefined };
    const plan = planViews(
      { parts: [embeds('G')], routes: [{ ...editP, fallback }] },
      context({ a: embeds('A'), b: embeds('B') }),
    );
    // Deleted by hand, the view is posted anew for all three groups.
    const anew = { ...fallback, replaces: { messageId: 'P', groupKeys: ['a', 'g', 'b'] } };
    expect(plan.routes).toEqual([{ ...editP, view: ['a', 'g', 'b'], fallback: anew }]);
    expect(plan.parts[0]!.embeds!.map((e) => e.title)).toEqual(['A0', 'G0', 'B0']);
  });

  it('moves the group out when the view no longer fits: its own post first, then the view without it', () => {
    const plan = planViews(
      { parts: [embeds('G', 8)], routes: [editP] },
      context({ a: embeds('A'), b: embeds('B', 2) }),
    );
    expect(plan.routes).toEqual([
      { kind: 'post', threadId: undefined },
      { ...editP, view: ['a', 'b'], fallback: leaveAnew(['a', 'b']) },
    ]);
    expect(plan.parts[0]!.embeds).toHaveLength(8);
    expect(plan.parts[1]!.embeds!.map((e) => e.title)).toEqual(['A0', 'B0', 'B1']);
  });

  it('a neighbour that no longer fits the rest gets its own post before the view lets go of it', () => {
    const plan = planViews(
      { parts: [embeds('G', 4)], routes: [editP] },
      context({ a: embeds('A', 3), b: embeds('B', 8) }),
    );
    expect(plan.routes).toEqual([
      { kind: 'post', threadId: undefined },
      { kind: 'post', threadId: undefined, replaces: { messageId: 'P', groupKeys: ['b'] } },
      { ...editP, view: ['a'], fallback: leaveAnew(['a']) },
    ]);
    expect(plan.parts.map((p) => p.embeds!.length)).toEqual([4, 8, 3]);
  });

  it('a part no longer needed leaves the view (edited without it), or is deleted when nothing else shows there', () => {
    const own: Plan['routes'][number] = { kind: 'delete', messageId: 'X', threadId: undefined };
    const leave = planViews(
      { parts: [DELETED_PART, DELETED_PART], routes: [own, { kind: 'delete', messageId: 'P' }] },
      context({ a: embeds('A'), b: undefined }),
    );
    expect(leave.routes).toEqual([own, { ...editP, view: ['a'], fallback: leaveAnew(['a']) }]);
    expect(leave.parts[1]!.embeds!.map((e) => e.title)).toEqual(['A0']);
    const alone = planViews({ parts: [DELETED_PART], routes: [{ kind: 'delete', messageId: 'P' }] }, context({}));
    expect(alone.routes).toEqual([{ kind: 'delete', messageId: 'P', threadId: undefined }]);
  });

  it('leaves a message that is no view as the plan had it', () => {
    const routes: Plan['routes'] = [{ kind: 'edit', messageId: 'Q', threadId: undefined, fallback: undefined }];
    expect(planViews({ parts: [embeds('G')], routes }, context({}))).toEqual({ parts: [embeds('G')], routes });
  });
});
