/**
 * A stored message as the Discord client shows it, which is not what the API accepted: the
 * client groups the embeds of one message by `url` (its image gallery), so an embed whose url
 * repeats an earlier one's shows only its image, never its text; with SUPPRESS_EMBEDS no embed
 * shows at all. Tests that ask "is this alert in the channel" read this view, not the body.
 */
import type { StoredMessage } from './types.js';

const SUPPRESS_EMBEDS = 1 << 2;

interface ShownEmbed {
  title?: string;
  description?: string;
  url?: string;
  author?: { name?: string };
  footer?: { text?: string };
  fields?: { name?: string; value?: string }[];
  [key: string]: unknown;
}

type Viewed = Pick<StoredMessage, 'body'>;

const text = (s: unknown): string => (typeof s === 'string' ? s : '');

/** The embeds a person sees, in order: the first of each url, and every embed without one. */
export function shownEmbeds(m: Viewed): ShownEmbed[] {
  const body = (m.body ?? {}) as { embeds?: unknown; flags?: unknown };
  if (typeof body.flags === 'number' && (body.flags & SUPPRESS_EMBEDS) !== 0) return [];
  const embeds = Array.isArray(body.embeds) ? (body.embeds as ShownEmbed[]) : [];
  const urls = new Set<string>();
  return embeds.filter((e) => {
    if (typeof e?.url !== 'string') return true;
    if (urls.has(e.url)) return false;
    urls.add(e.url);
    return true;
  });
}

/** Embeds Discord stored but the client does not show. */
export const hiddenEmbeds = (m: Viewed): number => {
  const embeds = (m.body as { embeds?: unknown } | undefined)?.embeds;
  return (Array.isArray(embeds) ? embeds.length : 0) - shownEmbeds(m).length;
};

/** Every text a person can read in the message: content, then each shown embed's texts. */
export function visibleText(m: Viewed): string {
  const parts = [text((m.body as { content?: unknown } | undefined)?.content)];
  for (const e of shownEmbeds(m)) {
    parts.push(text(e.author?.name), text(e.title), text(e.description));
    for (const f of e.fields ?? []) parts.push(text(f?.name), text(f?.value));
    parts.push(text(e.footer?.text));
  }
  return parts.filter((p) => p !== '').join('\n');
}
