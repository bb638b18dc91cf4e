import { componentCount, textDisplayLength } from '../discord/components.js';
import { LIMITS } from '../discord/limits.js';
import { discordMessageSchema, type DiscordMessage } from '../discord/message.js';

/**
 * Two Components V2 messages of one sender as one request: the second's components after the
 * first's, when together they stay within 40 components and 4000 text-display characters.
 * Nothing is cut: undefined when they do not fit.
 */
export function joinComponents(a: DiscordMessage, b: DiscordMessage): DiscordMessage | undefined {
  const both = [...(a.components ?? []), ...(b.components ?? [])];
  if (componentCount(both) > LIMITS.componentsPerMessage || textDisplayLength(both) > LIMITS.textDisplayTotal) {
    return undefined;
  }
  const joined: DiscordMessage = { ...a, components: both };
  return discordMessageSchema.safeParse(joined).success ? joined : undefined;
}
