import type { ComponentDraft } from './component-draft.js';
import type { AllowedMentions } from '../discord/message.js';

/** An embed as a template rendered it: nothing is checked yet. */
export interface EmbedDraft {
  title?: string;
  description?: string;
  url?: string;
  timestamp?: string;
  color?: number;
  footer?: { text?: string; icon_url?: string };
  author?: { name?: string; url?: string; icon_url?: string };
  thumbnail?: { url?: string };
  image?: { url?: string };
  fields?: readonly { name?: string; value?: string; inline?: boolean }[];
  /** A digest: lines packed into as many embeds as they need; `description` is then their header. */
  lines?: readonly string[];
}

/** A message as a template rendered it: the input of the fit step. */
export interface MessageDraft {
  /** Goes on the first message only. */
  content?: string;
  username?: string;
  avatar_url?: string;
  /** Any number, any sizes. */
  embeds: readonly EmbedDraft[];
  /** A Components V2 message instead of embeds: fitted by fit-components.ts. */
  componentDrafts?: readonly ComponentDraft[];
  /** Copied to every message. */
  allowed_mentions: AllowedMentions;
  flags?: number;
  /** First message only: later messages of a forum post go into the thread. */
  thread_name?: string;
  applied_tags?: readonly string[];
  /** Shown as a trailing embed, e.g. "3 more alerts not shown by Alertmanager". */
  notice?: string;
}
