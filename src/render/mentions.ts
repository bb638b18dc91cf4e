import { z } from 'zod';
import type { Notification } from '../alertmanager/payload.js';
import { LIMITS } from '../discord/limits.js';
import type { AllowedMentions } from '../discord/message.js';
import type { MessageDraft } from './message-draft.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');

/** Roles and users a target pings: written into `content`, and the only ids allowed to ping. */
const mentionsSchema = z.strictObject({
  roles: z.array(snowflake).max(LIMITS.allowedMentionIds).default([]),
  users: z.array(snowflake).max(LIMITS.allowedMentionIds).default([]),
});

export type Mentions = z.output<typeof mentionsSchema>;

/** A target's pings: the same for every message, or per severity label (`critical: {roles: [...]}`). */
export const targetMentionsSchema = z.union([
  mentionsSchema,
  z.record(z.string().min(1), mentionsSchema).refine((m) => !('roles' in m || 'users' in m), {
    message: 'per-severity mentions are keyed by severity, e.g. critical: {roles: [...]}',
  }),
]);

export type TargetMentions = z.output<typeof targetMentionsSchema>;

const isFlat = (m: TargetMentions): m is Mentions => Array.isArray(m.roles) && Array.isArray(m.users);

/**
 * The pings of one notification: per-severity mentions ping for the severities of its firing
 * alerts (case-insensitive), all of them together; a resolution pings nobody.
 */
export function mentionsFor(config: TargetMentions | undefined, n: Notification): Mentions | undefined {
  if (!config || isFlat(config)) return config;
  const severities = new Set(
    n.alerts.filter((a) => a.status === 'firing').map((a) => a.labels.severity?.toLowerCase()),
  );
  const roles = new Set<string>();
  const users = new Set<string>();
  for (const [severity, m] of Object.entries(config)) {
    if (!severities.has(severity.toLowerCase())) continue;
    m.roles.forEach((id) => roles.add(id));
    m.users.forEach((id) => users.add(id));
  }
  const cap = (ids: Set<string>) => [...ids].slice(0, LIMITS.allowedMentionIds);
  return roles.size + users.size === 0 ? undefined : { roles: cap(roles), users: cap(users) };
}

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
