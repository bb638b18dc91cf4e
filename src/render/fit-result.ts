import type { DiscordMessage } from '../discord/message.js';

/** One change the fit step made to a draft. */
export interface FitCut {
  /** Where in the draft, e.g. "embeds[3].fields[2].value", or "messages" for a split. */
  path: string;
  /** Which rule forced the cut, e.g. "field.value 1024"; a fixed string per rule. */
  limit: string;
  action: 'truncated' | 'dropped' | 'replaced' | 'split';
  /** For 'split': how many messages; for the field cap: how many fields are not shown. */
  count?: number;
}

/** What the fit step returns, whatever kind of draft it fitted. */
export interface FitResult {
  messages: DiscordMessage[];
  cuts: FitCut[];
}
