import { distinctEmbedUrls, type UrlChange } from '../discord/distinct-urls.js';
import { LIMITS } from '../discord/limits.js';
import { isComponentsV2 } from '../discord/components.js';
import { embedsAsContent } from '../render/embeds-as-content.js';
import { joinComponents } from '../render/join-components.js';
import { discordLength, discordMessageSchema, embedsTotalLength, type DiscordMessage } from '../discord/message.js';

const sameOrigin = (a: DiscordMessage, b: DiscordMessage): boolean =>
  a.username === b.username &&
  a.avatar_url === b.avatar_url &&
  (a.flags ?? 0) === (b.flags ?? 0) &&
  JSON.stringify(a.allowed_mentions) === JSON.stringify(b.allowed_mentions) &&
  a.thread_name === undefined &&
  b.thread_name === undefined &&
  a.applied_tags === undefined &&
  b.applied_tags === undefined;

interface Joined {
  message: DiscordMessage;
  /** Embed urls of the second message made distinct from the first's (the fit rule, per request). */
  urlChanges: UrlChange[];
}

/**
 * Two messages as one Discord request, or undefined when they cannot share one: different
 * sender, flags (silent or not), pings or forum post, more than 10 embeds or 6000 embed
 * characters together, or contents that do not fit 2000 characters joined. No text is cut: a
 * message either goes whole into the pack or waits for its own request. Only embed urls that
 * repeat across the two get a marker, as fitting gives them within one message, so the client
 * shows every embed of the pack.
 */
export function joinMessages(a: DiscordMessage, b: DiscordMessage): Joined | undefined {
  if (!sameOrigin(a, b)) return undefined;
  // Same flags: both are Components V2 messages or neither is.
  if (isComponentsV2(a)) {
    const message = joinComponents(a, b);
    return message && { message, urlChanges: [] };
  }
  const both = [...(a.embeds ?? []), ...(b.embeds ?? [])];
  if (both.length > LIMITS.embedsPerMessage || embedsTotalLength(both) > LIMITS.embedTotal) return undefined;
  const contents = [a.content, b.content].filter((c): c is string => discordLength(c) > 0);
  const content = contents.length > 0 ? contents.map((c) => c.trim()).join('\n') : undefined;
  if (discordLength(content) > LIMITS.content) return undefined;
  const { embeds, changes } = distinctEmbedUrls(both);
  const joined: DiscordMessage = { ...a, embeds, ...(content !== undefined ? { content } : {}) };
  if (content === undefined) delete joined.content;
  if (embeds.length === 0) delete joined.embeds;
  // The schema is the last word on what Discord accepts.
  return discordMessageSchema.safeParse(joined).success ? { message: joined, urlChanges: changes } : undefined;
}

/**
 * As joinMessages, and for a digest: a message whose embeds no longer fit may still join as
 * lines of the content. Views of a digest are joined again the same way when they are edited.
 */
export function joinDigest(a: DiscordMessage, b: DiscordMessage): Joined | undefined {
  const joined = joinMessages(a, b);
  if (joined) return joined;
  const asContent = embedsAsContent(b);
  return asContent && joinMessages(a, asContent);
}
