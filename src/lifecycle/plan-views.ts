import type { EditRoute, PartRoute, PostRoute } from '../delivery/job.js';
import type { DiscordMessage } from '../discord/message.js';
import { joinDigest, joinMessages } from '../delivery/pack.js';
import type { SharedView } from './message-memory.js';
import { DELETED_PART, type Plan } from './plan-parts.js';

export interface ViewContext {
  groupKey: string;
  /** The shared view a message is, if it is one. */
  view: (messageId: string) => SharedView | undefined;
  /**
   * Another group's share of a message, rendered from its current state; undefined when the
   * group no longer shows in that message (it moved on) or its state is forgotten.
   */
  partOf: (groupKey: string, messageId: string) => DiscordMessage | undefined;
  /** The group is shown as a storm digest: its views are joined as the digest packed them. */
  digest?: boolean;
}

type Join = (a: DiscordMessage, b: DiscordMessage) => DiscordMessage | undefined;

interface Member {
  groupKey: string;
  part: DiscordMessage;
}

/** Members joined into one body, in order; undefined when they no longer fit one message. */
function joinAll(members: readonly Member[], join: Join): DiscordMessage | undefined {
  let body: DiscordMessage | undefined;
  for (const m of members) {
    body = body === undefined ? m.part : join(body, m.part);
    if (!body) return undefined;
  }
  return body;
}

/**
 * As many members as fit, in order. They shared this message before, so all fit unless a
 * render grew since; one that no longer fits is `dropped`: it gets a message of its own.
 */
function joinFitting(
  members: readonly Member[],
  join: Join,
): { body: DiscordMessage; kept: Member[]; dropped: Member[] } | undefined {
  let body: DiscordMessage | undefined;
  const kept: Member[] = [];
  const dropped: Member[] = [];
  for (const m of members) {
    const joined = body === undefined ? m.part : join(body, m.part);
    if (!joined) {
      dropped.push(m);
      continue;
    }
    body = joined;
    kept.push(m);
  }
  return body ? { body, kept, dropped } : undefined;
}

/** A post of the view's body anew, in its place, should Discord no longer know it. */
const anew = (view: SharedView, groupKeys: string[]): PostRoute => ({
  kind: 'post',
  threadId: view.threadId,
  replaces: { messageId: view.messageId, groupKeys },
});

/**
 * Turns a group's plan into one that keeps every shared message it touches true. A message
 * that shows several groups is a view of their current states: when this group's part of it
 * changes, the whole view is rendered again with the neighbours as they are now and edited
 * in place. A view that no longer fits moves this group out: its part is posted on its own,
 * and the view is edited without it; a neighbour that no longer fits the rest gets a message
 * of its own too, posted before the view lets go of it. A part the group no longer needs
 * leaves the view (edited without it), or is deleted when nothing else shows there. A view
 * deleted by hand is posted anew, and every group it shows learns the new message.
 */
export function planViews(plan: Plan, c: ViewContext): Plan {
  const join: Join = (a, b) => (c.digest ? joinDigest(a, b) : joinMessages(a, b))?.message;
  const out: Plan = { parts: [], routes: [] };
  const after: Plan = { parts: [], routes: [] };
  plan.routes.forEach((route, k) => {
    const part = plan.parts[k]!;
    const view = route.kind === 'post' ? undefined : c.view(route.messageId);
    if (!view || route.kind === 'post') {
      out.parts.push(part);
      out.routes.push(route);
      return;
    }
    const others: Member[] = [];
    for (const g of view.groupKeys) {
      const p = g === c.groupKey ? undefined : c.partOf(g, view.messageId);
      if (p) others.push({ groupKey: g, part: p });
    }
    if (route.kind === 'edit') {
      // This group keeps its place in the view's order.
      const mine: Member = { groupKey: c.groupKey, part };
      const members = view.groupKeys.includes(c.groupKey)
        ? view.groupKeys.flatMap((g) => (g === c.groupKey ? [mine] : others.filter((o) => o.groupKey === g)))
        : [...others, mine];
      const body = joinAll(members, join);
      if (body) {
        const groupKeys = members.map((m) => m.groupKey);
        out.parts.push(body);
        out.routes.push({ ...route, view: groupKeys, fallback: route.fallback && anew(view, groupKeys) });
        return;
      }
      // Too big together now: this group gets a message of its own, posted before the view
      // lets go of it, so it is never out of sight.
      out.parts.push(part);
      out.routes.push({ kind: 'post', threadId: route.threadId });
    }
    const rest = joinFitting(others, join);
    // After the group's own parts, so their order (and the memory's part indices) stays.
    const into = route.kind === 'edit' ? after : out;
    for (const d of rest?.dropped ?? []) {
      into.parts.push(d.part);
      into.routes.push(anew(view, [d.groupKey]));
    }
    const kept = rest?.kept.map((o) => o.groupKey) ?? [];
    const leave: PartRoute = rest
      ? ({
          kind: 'edit',
          messageId: view.messageId,
          threadId: view.threadId,
          fallback: anew(view, kept),
          view: kept,
        } satisfies EditRoute)
      : { kind: 'delete', messageId: view.messageId, threadId: view.threadId };
    into.parts.push(rest?.body ?? DELETED_PART);
    into.routes.push(leave);
  });
  return { parts: [...out.parts, ...after.parts], routes: [...out.routes, ...after.routes] };
}
