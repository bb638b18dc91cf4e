import { shownEmbeds, type StoredMessage } from '../emulator/index.js';
import { RESOLVED_LOOK } from '../../src/shared/severity.js';

/** What the channel shows, read from the emulator's live messages. */
export interface ChannelState {
  /** Alerts named in a shown part that does not show them resolved. */
  firing: string[];
  /** Alerts named in what the client shows of a live message. */
  named: string[];
  /** Live messages that name no alert at all: clutter. */
  empty: number;
}

/** One thing a reader sees that names alerts: an embed, or a line of the content. */
export interface ShownPart {
  ids: string[];
  resolved: boolean;
}

const ALERT_ID = /A\d{6}/g;

const ids = (value: unknown): string[] => [
  ...new Set((typeof value === 'string' ? value : JSON.stringify(value ?? '')).match(ALERT_ID) ?? []),
];

/**
 * What the Discord client shows of a live message, as parts that name alerts: its content (a
 * line, or a digest section under a bold title; resolved when it carries ✅) and each shown
 * embed (resolved when it has the resolved colour). An embed repeating a url is not shown; a deleted message shows nothing.
 */
export function shownParts(m: StoredMessage): ShownPart[] {
  if (m.deletedAt !== undefined) return [];
  const content = (m.body as { content?: unknown }).content;
  const parts: ShownPart[] = [];
  // A digest written into the content (its embeds full) reads as sections: a bold title line,
  // then the lines under it, resolved when the title says so.
  let section: ShownPart | undefined;
  for (const line of (typeof content === 'string' ? content : '').split('\n')) {
    if (line.startsWith('**')) {
      section = { ids: ids(line), resolved: line.includes('✅') };
      parts.push(section);
    } else if (section) {
      const open = section;
      for (const id of ids(line)) if (!open.ids.includes(id)) open.ids.push(id);
    } else if (ids(line).length > 0) parts.push({ ids: ids(line), resolved: line.includes('✅') });
  }
  for (const e of shownEmbeds(m) as { color?: number }[])
    parts.push({ ids: ids(e), resolved: e.color === RESOLVED_LOOK.color });
  return parts.filter((p) => p.ids.length > 0);
}

/**
 * Alerts are named by ids `A` + 6 digits (in their instance label, which the templates show).
 * Only what the client shows counts; deleted messages count for nothing.
 */
export function channelState(messages: readonly StoredMessage[]): ChannelState {
  const firing = new Set<string>();
  const named = new Set<string>();
  let empty = 0;
  for (const m of messages) {
    if (m.deletedAt !== undefined) continue;
    const parts = shownParts(m);
    if (parts.length === 0) empty += 1;
    for (const p of parts)
      for (const id of p.ids) {
        named.add(id);
        if (!p.resolved) firing.add(id);
      }
  }
  return { firing: [...firing].sort(), named: [...named].sort(), empty };
}
