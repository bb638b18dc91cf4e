import { z } from 'zod';
import { LIMITS } from '../discord/limits.js';
import type { AllowedMentions } from '../discord/message.js';
import type { MessageDraft } from './fit.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');

/** Roles and users a target pings: written into `content`, and the only ids allowed to ping. */
export const mentionsSchema = z.strictObject({
  roles: z.array(snowflake).max(LIMITS.allowedMentionIds).default([]),
  users: z.array(snowflake).max(LIMITS.allowedMentionIds).default([]),
});

export type Mentions = z.output<typeof mentionsSchema>;

/**
 * Puts the pings (and a short note, e.g. why an escalation was sent) in front of the
 * template's content, and allows exactly those ids to ping: alert text still pings nobody.
 */
export function addMentions(
  draft: MessageDraft,
  mentions: Mentions | undefined,
  note: string | undefined,
): MessageDraft {
  const pings = [
    ...(mentions?.roles.map((id) => `<@&${id}>`) ?? []),
    ...(mentions?.users.map((id) => `<@${id}>`) ?? []),
  ];
  const prefix = [...pings, ...(note ? [note] : [])].join(' ');
  if (prefix === '') return draft;
  const allowed: AllowedMentions = { parse: [] };
  if (mentions?.roles.length) allowed.roles = [...mentions.roles];
  if (mentions?.users.length) allowed.users = [...mentions.users];
  const content = draft.content === undefined ? prefix : `${prefix}\n${draft.content}`;
  return { ...draft, content, allowed_mentions: allowed };
}
