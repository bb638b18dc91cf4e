import { z } from 'zod';
import type { Notification } from '../alertmanager/payload.js';
import { LIMITS } from '../discord/limits.js';
import type { MessageDraft } from './message-draft.js';
import type { SeverityLook } from './severity-look.js';
import { highestSeverity } from './sort-alerts.js';

const tagId = z.string().regex(/^\d{17,20}$/, 'must be a forum tag id (17 to 20 digits)');

/** Forum tag ids per severity label (and `resolved`), applied when a group's post is created. */
export const forumTagsSchema = z.record(z.string().min(1), z.array(tagId).min(1).max(LIMITS.appliedTags));

export type ForumTags = z.output<typeof forumTagsSchema>;

const tagsOf = (config: ForumTags, key: string): readonly string[] => {
  const wanted = key.toLowerCase();
  return Object.entries(config).find(([k]) => k.toLowerCase() === wanted)?.[1] ?? [];
};

/**
 * The tags of a group's post: those of its most urgent severity (of its firing alerts, or of
 * all when none fires), and those of `resolved` when the group is resolved. Keys match
 * case-insensitively, like per-severity mentions. Undefined when no tag applies.
 */
export function forumTagsFor(
  config: ForumTags | undefined,
  n: Notification,
  severities: SeverityLook,
): string[] | undefined {
  if (!config) return undefined;
  const firing = n.alerts.filter((a) => a.status === 'firing');
  const severity = highestSeverity(firing.length > 0 ? firing : n.alerts, severities);
  const tags = new Set(severity === '' ? [] : tagsOf(config, severity));
  if (n.status === 'resolved') tagsOf(config, 'resolved').forEach((t) => tags.add(t));
  return tags.size > 0 ? [...tags] : undefined;
}

/** The target's tags after any the draft has already (each id once); fitting keeps the first 5. */
export function addForumTags(draft: MessageDraft, tags: readonly string[] | undefined): MessageDraft {
  if (!tags || tags.length === 0) return draft;
  return { ...draft, applied_tags: [...new Set([...(draft.applied_tags ?? []), ...tags])] };
}
