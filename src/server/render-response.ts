import type { LimitUsage } from '../discord/limit-usage.js';
import type { DiscordMessage } from '../discord/message.js';
import type { FitCut } from '../render/fit-result.js';

/** What `POST /api/v1/render` answers; the preview page reads it. Node-free for the browser code. */
export interface RenderResponse {
  /** The template that rendered: the shipped default when the chosen one threw. */
  template: string;
  templateError: string | null;
  messages: DiscordMessage[];
  cuts: FitCut[];
  /** Per message, how much of each Discord limit it uses. */
  usage: LimitUsage[][];
}
