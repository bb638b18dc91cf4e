import { LIMITS } from '../discord/limits.js';
import { allowedMentionsSchema, type AllowedMentions } from '../discord/message.js';
import type { FitCut } from './fit-result.js';
import { RULES } from './fit-rules.js';

const SNOWFLAKE = /^\d{1,20}$/;
const MENTION_TYPES: ReadonlySet<string> = new Set(['roles', 'users', 'everyone']);

/** Allowed mentions Discord accepts: valid ones as they are, others repaired. */
export function fitAllowedMentions(am: AllowedMentions, cuts: FitCut[]): AllowedMentions {
  if (allowedMentionsSchema.safeParse(am).success) return am;
  cuts.push({ path: 'allowed_mentions', limit: RULES.allowedMentions, action: 'replaced' });
  // Every repair narrows who can be pinged, never widens it: alert text is untrusted.
  const isId = (id: unknown): id is string => typeof id === 'string' && SNOWFLAKE.test(id);
  const ids = (list: unknown): string[] | undefined =>
    Array.isArray(list) ? list.filter(isId).slice(0, LIMITS.allowedMentionIds) : undefined;
  const raw = am as Partial<Record<keyof AllowedMentions, unknown>> | null | undefined;
  const roles = ids(raw?.roles);
  const users = ids(raw?.users);
  const parse = [
    ...new Set(Array.isArray(raw?.parse) ? raw.parse.filter((t): t is string => MENTION_TYPES.has(t as string)) : []),
  ].filter((t) => !(t === 'roles' && roles !== undefined) && !(t === 'users' && users !== undefined));
  const out: AllowedMentions = { parse: parse as AllowedMentions['parse'] };
  if (roles !== undefined) out.roles = roles;
  if (users !== undefined) out.users = users;
  return out;
}

/** A fresh copy per message, so no two messages share mutable state. */
export function copyMentions(am: AllowedMentions): AllowedMentions {
  const out: AllowedMentions = { ...am, parse: [...am.parse] };
  if (am.roles !== undefined) out.roles = [...am.roles];
  if (am.users !== undefined) out.users = [...am.users];
  return out;
}
