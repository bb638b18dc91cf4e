import type { StoredMessage } from '../../test/emulator/index.js';

const RESOLVED_GREEN = 0x2ecc71;
const ids = (text: string): string[] => text.match(/A\d{6}/g) ?? [];

/** One thing a reader sees that names alerts: an embed, or a line of the content. */
export interface ShownPart {
  ids: string[];
  resolved: boolean;
}

/**
 * What the Discord client shows of a message: its content, line by line, and its embeds — but
 * an embed that repeats an earlier embed's url in the same message is not shown (the client
 * folds it into the first).
 */
export function shownParts(m: StoredMessage): ShownPart[] {
  if (m.deletedAt !== undefined) return [];
  const body = m.body as { content?: string; embeds?: { url?: string; color?: number }[] };
  const parts: ShownPart[] = (body.content ?? '')
    .split('\n')
    .map((line) => ({ ids: ids(line), resolved: line.includes('✅') }))
    .filter((p) => p.ids.length > 0);
  const urls = new Set<string>();
  for (const e of body.embeds ?? []) {
    if (e.url !== undefined) {
      if (urls.has(e.url)) continue;
      urls.add(e.url);
    }
    parts.push({ ids: ids(JSON.stringify(e)), resolved: e.color === RESOLVED_GREEN });
  }
  return parts;
}
