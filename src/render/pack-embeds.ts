import { distinctEmbedUrls } from '../discord/distinct-urls.js';
import { LIMITS } from '../discord/limits.js';
import type { Embed } from '../discord/message.js';
import type { FitCut } from './fit-result.js';
import type { FittedEmbed } from './fit-embed.js';
import { RULES } from './fit-rules.js';

/**
 * Packs fitted embeds, in order, into as few messages as Discord's per-message limits allow:
 * the embeds of each message, their urls made distinct within it. Always one message at least.
 */
export function packEmbeds(fitted: readonly FittedEmbed[], cuts: FitCut[]): Embed[][] {
  // Greedy packing keeps the order; each embed is within the total on its own, so it always fits
  // an empty message.
  const groups: FittedEmbed[][] = [[]];
  let groupLength = 0;
  for (const f of fitted) {
    const { length } = f;
    let group = groups[groups.length - 1] ?? [];
    if (group.length >= LIMITS.embedsPerMessage || (group.length > 0 && groupLength + length > LIMITS.embedTotal)) {
      group = [];
      groups.push(group);
      groupLength = 0;
    }
    group.push(f);
    groupLength += length;
  }
  if (groups.length > 1) cuts.push({ path: 'messages', limit: RULES.split, action: 'split', count: groups.length });
  // Urls are distinct per message, so only once the messages are known.
  return groups.map((group) => {
    const { embeds, changes } = distinctEmbedUrls(group.map((f) => f.embed));
    for (const c of changes)
      cuts.push({ path: `${group[c.index]?.path ?? 'embeds'}.url`, limit: RULES.distinctUrl, action: c.action });
    return embeds;
  });
}
