import { LIMITS } from '../discord/limits.js';
import { discordLength } from '../discord/message.js';
import { fitEmbed } from './fit-embed.js';
import { fitEnvelope, inEnvelope } from './fit-envelope.js';
import { EMPTY_NOTIFICATION } from './fit-placeholders.js';
import type { FitCut, FitResult } from './fit-result.js';
import { RULES } from './fit-rules.js';
import { isBlank, optionalText } from './fit-text.js';
import type { MessageDraft } from './message-draft.js';
import { packEmbeds } from './pack-embeds.js';
import { packLines } from './pack-lines.js';

/**
 * The fit step for embed messages. Turns a rendered draft into messages Discord accepts: every
 * text within its limit, invalid values dropped or replaced, embeds packed in order into as many
 * messages as needed. Every change is listed in `cuts`; a draft that is already a valid message
 * comes back unchanged.
 */
export function fitMessage(draft: MessageDraft): FitResult {
  const cuts: FitCut[] = [];

  const fitted = draft.embeds.flatMap((d, i) => {
    const path = `embeds[${i}]`;
    const pages = packLines(d ?? {}, path, cuts);
    return pages.map((page, k) => fitEmbed(page, pages.length > 1 ? `${path}.pages[${k}]` : path, cuts));
  });

  if (draft.notice !== undefined) {
    const notice = optionalText(draft.notice, LIMITS.description, 'notice', RULES.description, cuts);
    if (notice === undefined || isBlank(notice)) {
      cuts.push({ path: 'notice', limit: RULES.required, action: 'dropped' });
    } else {
      fitted.push({ embed: { description: notice }, length: discordLength(notice), path: 'notice' });
    }
  }

  let content = optionalText(draft.content, LIMITS.content, 'content', RULES.content, cuts);
  if (fitted.length === 0 && isBlank(content)) {
    cuts.push({ path: 'content', limit: RULES.messageNotEmpty, action: 'replaced' });
    content = EMPTY_NOTIFICATION;
  }

  const embedsOf = packEmbeds(fitted, cuts);
  const envelope = fitEnvelope(draft, cuts);
  const messages = embedsOf.map((embeds, k) => inEnvelope(envelope, k, content, embeds));
  return { messages, cuts };
}
