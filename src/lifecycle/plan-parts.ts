import type { Notification } from '../alertmanager/payload.js';
import type { ResolvedTarget } from '../config/load.js';
import type { PartRoute, PostRoute } from '../delivery/job.js';
import { LIMITS } from '../discord/limits.js';
import type { DiscordMessage } from '../discord/message.js';
import { escapeMarkdown } from '../render/markdown.js';
import { notificationState, type RepeatPolicy } from './dedup.js';
import type { PostedMessage } from './message-memory.js';

export interface Plan {
  parts: DiscordMessage[];
  routes: PartRoute[];
}

/** The body that stands for a delete in a plan's parts: nothing of it is sent. */
export const DELETED_PART: DiscordMessage = { allowed_mentions: { parse: [] } };

const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** The group in a few words: its grouping labels, else its alertname. */
export function groupTitle(n: Notification): string {
  const labels = Object.entries(n.groupLabels).map(([k, v]) => `${k}=${v}`);
  return labels.length > 0 ? labels.join(', ') : (n.commonLabels.alertname ?? 'alert group');
}

/**
 * The short line posted into a group's channel or thread beside its message: the resolution
 * (`resolve: both`), a repeat in a forum post, or, when the message's archived thread had to
 * be reopened, the change.
 */
export function groupNotice(n: Notification, repeat = false): string {
  const title = escapeMarkdown(groupTitle(n));
  const text =
    n.status === 'resolved'
      ? `✅ Resolved: ${title} (the message above now shows it resolved)`
      : repeat
        ? `🔁 Still firing: ${title} (the message above shows its current state)`
        : `🔔 Changed: ${title} (the message above shows its current state)`;
  return cut(text, LIMITS.content);
}

/**
 * Decides, for the rendered parts of one notification, which are edits of the group's message
 * already in Discord and which are new messages. A group edits its message while it changes
 * and when it resolves (`resolve: edit`, the default; `both` also posts a short notice on
 * resolve; `new` always posts). After the message shows the group resolved, a firing group is
 * a new incident: a new message that pings again. A repeat of the very state the message
 * shows (Alertmanager's repeat_interval) is posted again or, with `dedup.repeat: edit`,
 * edited in place. Edits and repeats never ping.
 *
 * One live message per incident: a repeat posted again moves the group to the bottom of the
 * channel, so its old message is deleted once the new one is there (else the old one would
 * show the alerts firing forever: only the newest is edited later). In a forum the post's
 * first message is the post itself (deleting it deletes the thread, and it is what the forum
 * lists): there the message is edited in place and a short notice in the thread bumps it.
 */
export function planParts(
  repeat: RepeatPolicy,

  target: ResolvedTarget,
  n: Notification,
  rendered: DiscordMessage[],
  posted: PostedMessage | undefined,
): Plan {
  const planner = partPlanner(repeat, target, n, posted);
  const out: Plan = { parts: [], routes: [] };
  rendered.forEach((p, k) => {
    const { part, route } = planner.part(k, p);
    out.parts.push(part);
    out.routes.push(route);
  });
  const tail = planner.tail(rendered.length);
  return { parts: [...out.parts, ...tail.parts], routes: [...out.routes, ...tail.routes] };
}

export interface PartPlanner {
  /** Whether the plan edits or deletes a message already posted (pinned to its webhook). */
  edits: boolean;
  /** Where rendered part `k` goes. */
  part: (k: number, rendered: DiscordMessage) => { part: DiscordMessage; route: PartRoute };
  /** What follows the last of `count` parts: deletes of old parts it no longer fills, a notice. */
  tail: (count: number) => Plan;
}

/** `planParts` one part at a time, for parts rendered page by page. */
export function partPlanner(
  repeat: RepeatPolicy,
  target: ResolvedTarget,
  n: Notification,
  posted: PostedMessage | undefined,
): PartPlanner {
  const named = (p: DiscordMessage, k: number) => (k === 0 && target.forum ? withThreadName(p, n) : p);
  const post = (threadId: string | undefined): PostRoute => ({ kind: 'post', threadId: threadId ?? target.thread_id });
  // Explicit: an edit that omits allowed_mentions is re-parsed with Discord's defaults.
  const quiet = (p: DiscordMessage): DiscordMessage => ({ ...p, allowed_mentions: { parse: [] } });
  const none: Plan = { parts: [], routes: [] };
  const isRepeat = posted !== undefined && posted.state === notificationState(n);
  if (isRepeat && repeat !== 'edit' && !target.forum) {
    // Alertmanager's repeat_interval: posted again, but it pings nobody a second time.
    const thread = posted.threadId;
    const deletes = (): Plan => ({
      parts: posted.messageIds.map(() => DELETED_PART),
      routes: posted.messageIds.map((messageId): PartRoute => ({ kind: 'delete', messageId, threadId: thread })),
    });
    return {
      // The old message is deleted through the webhook that posted it.
      edits: posted.messageIds.length > 0,
      part: (k, p) => ({ part: quiet(named(p, k)), route: post(thread) }),
      tail: deletes,
    };
  }
  const editable = target.resolve !== 'new' && posted !== undefined && !(posted.resolved && n.status === 'firing');
  if (!editable || !posted) {
    return { edits: false, part: (k, p) => ({ part: named(p, k), route: post(undefined) }), tail: () => none };
  }

  const thread = posted.threadId;
  return {
    edits: posted.messageIds.length > 0,
    part: (k, p) => {
      const old = posted.messageIds[k];
      if (old === undefined) return { part: quiet(named(p, k)), route: post(thread) };
      // Part 0 posted anew in a forum opens a new thread (its thread_name); later parts go to the old thread.
      const fallback = post(k === 0 && target.forum ? undefined : thread);
      return { part: quiet(named(p, k)), route: { kind: 'edit', messageId: old, threadId: thread, fallback } };
    },
    tail: (count) => {
      const out: Plan = { parts: [], routes: [] };
      // Never leave stale firing content behind in a part the new render no longer fills.
      for (const old of posted.messageIds.slice(count)) {
        out.parts.push(DELETED_PART);
        out.routes.push({ kind: 'delete', messageId: old, threadId: thread });
      }
      const forumRepeat = isRepeat && repeat !== 'edit';
      if (forumRepeat || (target.resolve === 'both' && n.status === 'resolved')) {
        out.parts.push({ content: groupNotice(n, forumRepeat), allowed_mentions: { parse: [] } });
        out.routes.push({ ...post(thread), notice: true });
      }
      return out;
    },
  };
}

/** A forum post needs a thread name: the template's, else the group's title. */
function withThreadName(part: DiscordMessage, n: Notification): DiscordMessage {
  if (part.thread_name !== undefined) return part;
  return { ...part, thread_name: cut(groupTitle(n), LIMITS.threadName) };
}
