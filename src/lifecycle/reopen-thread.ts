import type { Job } from '../delivery/job.js';
import { MESSAGE_FLAGS } from '../discord/limits.js';
import type { DiscordMessage } from '../discord/message.js';
import { groupNotice } from './plan-parts.js';

/**
 * Discord refuses to edit or delete a message in an archived thread (400 50083), and forum posts archive
 * after a while without new messages; posting into a thread reopens it. So the refused edit
 * gets a short notice posted into its thread ahead of it, and is tried again after it.
 *
 * A notice, not the whole update posted anew: the group's first message is the one the forum
 * lists (its title, its colour), so that is what must turn green; a full copy further down
 * would show the state twice and go stale at the next change. The notice is what a person
 * following the post is told, and it points them at the message that shows the state.
 *
 * Once per edit (`reopened`): refused again, it is a 400 like any other. Returns false when
 * there is no thread to post into or the edit was already retried that way.
 */
export function reopenArchivedThread(job: Job): boolean {
  const { routes, parts } = job;
  const route = routes?.[job.sent];
  const part = parts?.[job.sent];
  if (!routes || !parts || !part || !route || route.kind === 'post' || route.threadId === undefined || route.reopened) {
    return false;
  }
  // A notice planned after the edits (resolve: both, a repeat in a forum) goes first instead:
  // one notice is enough.
  const later = routes.findIndex((r, k) => k > job.sent && r.kind === 'post' && r.notice);
  const planned = later === -1 ? undefined : parts[later]?.content;
  if (later !== -1) {
    routes.splice(later, 1);
    parts.splice(later, 1);
  }
  const notice: DiscordMessage = {
    content: planned ?? groupNotice(job.notification),
    allowed_mentions: { parse: [] },
    ...(part.username !== undefined ? { username: part.username } : {}),
    ...(part.avatar_url !== undefined ? { avatar_url: part.avatar_url } : {}),
    // Silent outside active hours, as the update itself; other flags belong to the part's own body.
    ...((part.flags ?? 0) & MESSAGE_FLAGS.suppressNotifications ? { flags: MESSAGE_FLAGS.suppressNotifications } : {}),
  };
  routes.splice(job.sent, 1, { kind: 'post', threadId: route.threadId, notice: true }, { ...route, reopened: true });
  parts.splice(job.sent, 0, notice);
  return true;
}
