import type { DiscordMessage, Embed } from '../discord/message.js';
import { breakMentions } from './markdown.js';

const textOf = (e: Embed): string[] => [
  ...(e.title ? [`**${e.title.trim()}**`] : []),
  ...(e.description ? [e.description.trim()] : []),
  ...(e.fields ?? []).map((f) => `${f.name.trim()}: ${f.value.trim()}`),
];

/**
 * A digest message with its embeds written out as content lines (title, description, fields),
 * so a request whose embeds are full (6000 characters) still carries it in its 2000 content
 * characters. Embed text does not ping, content could: mentions in it are broken, only the
 * message's own content (the target's pings) keeps them. Undefined when an embed shows what
 * text cannot (an image or thumbnail). The caller checks the result against Discord's limits.
 */
export function embedsAsContent(m: DiscordMessage): DiscordMessage | undefined {
  const embeds = m.embeds ?? [];
  if (embeds.length === 0 || embeds.some((e) => e.image !== undefined || e.thumbnail !== undefined)) return undefined;
  const text = breakMentions(embeds.flatMap(textOf).join('\n'));
  const content = m.content?.trim() ? `${m.content.trim()}\n${text}` : text;
  const out: DiscordMessage = { ...m, content };
  delete out.embeds;
  return out;
}
