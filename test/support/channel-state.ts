import { shownEmbeds, visibleText, type StoredMessage } from '../emulator/index.js';
import { RESOLVED_LOOK } from '../../src/routing/severity.js';

/** What the channel shows, read from the emulator's live messages. */
export interface ChannelState {
  /** Alerts named in a shown embed that does not have the resolved colour. */
  firing: string[];
  /** Alerts named in what the client shows of a live message. */
  named: string[];
  /** Live messages that name no alert at all: clutter. */
  empty: number;
}

const ALERT_ID = /A\d{6}/g;

const ids = (value: unknown): string[] => [...new Set(JSON.stringify(value ?? '').match(ALERT_ID) ?? [])];

/**
 * Alerts are named by ids `A` + 6 digits (in their instance label, which the templates show);
 * an embed shows its alerts firing unless it has the resolved colour. Only what the client
 * shows counts (an embed repeating a url is not seen); deleted messages count for nothing.
 */
export function channelState(messages: readonly StoredMessage[]): ChannelState {
  const firing = new Set<string>();
  const named = new Set<string>();
  let empty = 0;
  for (const m of messages) {
    if (m.deletedAt !== undefined) continue;
    const all = ids(visibleText(m));
    if (all.length === 0) empty += 1;
    for (const id of all) named.add(id);
    for (const embed of shownEmbeds(m) as { color?: number }[]) {
      if (embed.color === RESOLVED_LOOK.color) continue;
      for (const id of ids(embed)) firing.add(id);
    }
  }
  return { firing: [...firing].sort(), named: [...named].sort(), empty };
}
