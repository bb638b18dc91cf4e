import { LIMITS } from '../discord/limits.js';
import { discordMessageSchema, type AllowedMentions, type DiscordMessage, type Embed } from '../discord/message.js';
import type { FitCut } from './fit-result.js';
import { copyMentions, fitAllowedMentions } from './fit-mentions.js';
import { RULES } from './fit-rules.js';
import { clean, requiredText, url } from './fit-text.js';
import type { MessageDraft } from './message-draft.js';

// The schema's own check, so what passes here passes there.
const usernameSchema = discordMessageSchema.shape.username.unwrap();

/** What every message of one draft carries around its body, fitted once for all of them. */
export interface Envelope {
  mentions: AllowedMentions;
  username?: string;
  avatarUrl?: string;
  flags?: number;
  /** First message only. */
  threadName?: string;
  /** First message only. */
  appliedTags?: string[];
}

/** The message-level fields of a draft, fitted: every embed or component message shares them. */
export function fitEnvelope(draft: Omit<MessageDraft, 'embeds' | 'content' | 'notice'>, cuts: FitCut[]): Envelope {
  const env: Omit<Envelope, 'mentions'> = {};

  if (draft.username !== undefined) {
    const username = clean(draft.username, 'username', cuts);
    if (username !== undefined && usernameSchema.safeParse(username).success) env.username = username;
    // Discord then shows the webhook's own name.
    else cuts.push({ path: 'username', limit: RULES.username, action: 'dropped' });
  }
  const avatarUrl = url(draft.avatar_url, 'avatar_url', cuts);
  if (avatarUrl !== undefined) env.avatarUrl = avatarUrl;

  if (draft.flags !== undefined) {
    if (Number.isSafeInteger(draft.flags)) env.flags = draft.flags;
    else cuts.push({ path: 'flags', limit: RULES.flags, action: 'dropped' });
  }

  if (draft.thread_name !== undefined) {
    // A forum post needs a name: replacing keeps the post deliverable.
    env.threadName = requiredText(draft.thread_name, LIMITS.threadName, 'thread_name', RULES.threadName, cuts);
  }

  if (draft.applied_tags !== undefined) {
    const tags = draft.applied_tags;
    if (tags.length > LIMITS.appliedTags) {
      cuts.push({ path: 'applied_tags', limit: RULES.appliedTags, action: 'truncated' });
    }
    env.appliedTags = tags.slice(0, LIMITS.appliedTags).flatMap((t, i) => clean(t, `applied_tags[${i}]`, cuts) ?? []);
  }

  return { ...env, mentions: fitAllowedMentions(draft.allowed_mentions, cuts) };
}

/** The `k`-th message of a draft: its body in the envelope; only the first opens the thread. */
export function inEnvelope(env: Envelope, k: number, content: string | undefined, embeds: Embed[]): DiscordMessage {
  const m: DiscordMessage = { allowed_mentions: copyMentions(env.mentions) };
  if (k === 0 && content !== undefined) m.content = content;
  if (env.username !== undefined) m.username = env.username;
  if (env.avatarUrl !== undefined) m.avatar_url = env.avatarUrl;
  m.embeds = embeds;
  if (env.flags !== undefined) m.flags = env.flags;
  if (k === 0 && env.threadName !== undefined) m.thread_name = env.threadName;
  if (k === 0 && env.appliedTags !== undefined) m.applied_tags = env.appliedTags;
  return m;
}
