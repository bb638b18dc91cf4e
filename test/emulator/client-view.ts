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

interface ShownComponent {
  type?: unknown;
  content?: unknown;
  label?: unknown;
  components?: unknown;
  accessory?: unknown;
}

/** Text displays and button labels in reading order (a section's texts, then its button). */
function componentTexts(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return (list as (ShownComponent | null)[]).flatMap((c) => {
    if (!c || typeof c !== 'object') return [];
    if (c.type === 10) return [text(c.content)];
    if (c.type === 2) return [text(c.label)];
    return [...componentTexts(c.components), ...componentTexts(c.accessory === undefined ? [] : [c.accessory])];
  });
}

/** The link buttons of a message as the client draws them: label and where it goes. */
export function shownButtons(m: Viewed): { label: string; url: string }[] {
  const out: { label: string; url: string }[] = [];
  const visit = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const c of list as ((ShownComponent & { url?: unknown; style?: unknown }) | null)[]) {
      if (!c || typeof c !== 'object') continue;
      if (c.type === 2 && c.style === 5) out.push({ label: text(c.label), url: text(c.url) });
      visit(c.components);
      if (c.accessory !== undefined) visit([c.accessory]);
    }
  };
  visit((m.body as { components?: unknown } | undefined)?.components);
  return out;
}

/**
 * Every text a person can read in the message: content, then each shown embed's texts, then
 * the text displays and button labels of its components.
 */
export function visibleText(m: Viewed): string {
  const parts = [text((m.body as { content?: unknown } | undefined)?.content)];
  for (const e of shownEmbeds(m)) {
    parts.push(text(e.author?.name), text(e.title), text(e.description));
    for (const f of e.fields ?? []) parts.push(text(f?.name), text(f?.value));
    parts.push(text(e.footer?.text));
  }
  parts.push(...componentTexts((m.body as { components?: unknown } | undefined)?.components));
  return parts.filter((p) => p !== '').join('\n');
}
