import { z } from 'zod';
import { componentCount, isComponentsV2, textDisplayLength, topLevelComponentSchema } from './components.js';
import { hasDistinctUrls } from './distinct-urls.js';
import { httpUrlOf } from './http-url.js';
import { LIMITS } from './limits.js';

/** Trimmed length in UTF-16 code units: how Discord counts (the stricter reading of its docs). */
export const discordLength = (s: string | undefined): number => (s ? s.trim().length : 0);

const maxTrimmed = (max: number) =>
  z.string().refine((s) => discordLength(s) <= max, { message: `must be at most ${max} characters` });
const nonEmptyTrimmed = (max: number) =>
  maxTrimmed(max).refine((s) => discordLength(s) > 0, { message: 'must not be empty' });

const httpUrl = httpUrlOf(LIMITS.url);

/** Discord rejects an embed with nothing to show (e.g. `{}` or colour only) with a 400. */
export function showsSomething(e: {
  title?: string | undefined;
  description?: string | undefined;
  fields?: readonly unknown[] | undefined;
  author?: unknown;
  footer?: unknown;
  image?: unknown;
  thumbnail?: unknown;
}): boolean {
  return (
    discordLength(e.title) > 0 ||
    discordLength(e.description) > 0 ||
    (e.fields?.length ?? 0) > 0 ||
    e.author !== undefined ||
    e.footer !== undefined ||
    e.image !== undefined ||
    e.thumbnail !== undefined
  );
}

const embedFieldSchema = z.object({
  name: nonEmptyTrimmed(LIMITS.fieldName),
  value: nonEmptyTrimmed(LIMITS.fieldValue),
  inline: z.boolean().optional(),
});

export const embedSchema = z
  .object({
    title: maxTrimmed(LIMITS.title).optional(),
    description: maxTrimmed(LIMITS.description).optional(),
    url: httpUrl.optional(),
    timestamp: z.iso.datetime({ offset: true }).optional(),
    color: z.number().int().min(0).max(LIMITS.maxColor).optional(),
    footer: z.object({ text: nonEmptyTrimmed(LIMITS.footerText), icon_url: httpUrl.optional() }).optional(),
    author: z
      .object({ name: nonEmptyTrimmed(LIMITS.authorName), url: httpUrl.optional(), icon_url: httpUrl.optional() })
      .optional(),
    thumbnail: z.object({ url: httpUrl }).optional(),
    image: z.object({ url: httpUrl }).optional(),
    fields: z.array(embedFieldSchema).max(LIMITS.fieldsPerEmbed).optional(),
  })
  .refine(showsSomething, {
    message: 'an embed needs a title, description, field, author, footer, image or thumbnail',
  });

export const allowedMentionsSchema = z
  .object({
    parse: z.array(z.enum(['roles', 'users', 'everyone'])),
    roles: z
      .array(z.string().regex(/^\d{1,20}$/))
      .max(LIMITS.allowedMentionIds)
      .optional(),
    users: z
      .array(z.string().regex(/^\d{1,20}$/))
      .max(LIMITS.allowedMentionIds)
      .optional(),
  })
  .refine(
    // `parse` and an explicit list of the same type is a 400.
    (m) =>
      !(m.parse.includes('roles') && m.roles !== undefined) && !(m.parse.includes('users') && m.users !== undefined),
    { message: 'parse must not name a type that also has an explicit id list' },
  );

const forbiddenUsername = /discord|clyde/i;

/** The body of an execute-webhook request, as alertcord sends it. */
export const discordMessageSchema = z
  .object({
    content: maxTrimmed(LIMITS.content).optional(),
    username: z
      .string()
      .refine((s) => discordLength(s) >= 1 && discordLength(s) <= LIMITS.username, {
        message: `must be 1-${LIMITS.username} characters`,
      })
      .refine((s) => !forbiddenUsername.test(s) && !/^(everyone|here)$/i.test(s.trim()), {
        message: 'must not contain "discord" or "clyde", nor be "everyone"/"here"',
      })
      .optional(),
    avatar_url: httpUrl.optional(),
    embeds: z.array(embedSchema).max(LIMITS.embedsPerMessage).optional(),
    allowed_mentions: allowedMentionsSchema,
    flags: z.number().int().optional(),
    /** Components V2 only (flags IS_COMPONENTS_V2): alertcord sends no legacy components. */
    components: z.array(topLevelComponentSchema).optional(),
    thread_name: nonEmptyTrimmed(LIMITS.threadName).optional(),
    applied_tags: z.array(z.string()).max(LIMITS.appliedTags).optional(),
  })
  .refine(
    (m) =>
      isComponentsV2(m) ? (m.components?.length ?? 0) > 0 : discordLength(m.content) > 0 || (m.embeds?.length ?? 0) > 0,
    { message: 'a message needs content or at least one embed (a Components V2 message: a component)' },
  )
  .refine((m) => (isComponentsV2(m) ? m.content === undefined && m.embeds === undefined : m.components === undefined), {
    // Discord refuses content and embeds beside V2 components; legacy components we never send.
    message: 'a Components V2 message has components only; other messages have none',
    path: ['components'],
  })
  .refine((m) => componentCount(m.components ?? []) <= LIMITS.componentsPerMessage, {
    message: `at most ${LIMITS.componentsPerMessage} components per message, nested ones included`,
    path: ['components'],
  })
  .refine((m) => textDisplayLength(m.components ?? []) <= LIMITS.textDisplayTotal, {
    message: `text displays together must be at most ${LIMITS.textDisplayTotal} characters`,
    path: ['components'],
  })
  .refine((m) => embedsTotalLength(m.embeds ?? []) <= LIMITS.embedTotal, {
    message: `embeds together must be at most ${LIMITS.embedTotal} characters`,
    path: ['embeds'],
  })
  .refine((m) => hasDistinctUrls(m.embeds ?? []), {
    // Discord accepts repeats, but its client shows a repeating embed as an image only.
    message: 'embeds of one message must not share a url',
    path: ['embeds'],
  });

export type DiscordMessage = z.infer<typeof discordMessageSchema>;
export type Embed = z.infer<typeof embedSchema>;
export type EmbedField = z.infer<typeof embedFieldSchema>;
export type AllowedMentions = z.infer<typeof allowedMentionsSchema>;

/** The characters of one embed that count towards the 6000 total. */
export function embedLength(e: Embed): number {
  let n = discordLength(e.title) + discordLength(e.description);
  n += discordLength(e.footer?.text) + discordLength(e.author?.name);
  for (const f of e.fields ?? []) n += discordLength(f.name) + discordLength(f.value);
  return n;
}

export function embedsTotalLength(embeds: readonly Embed[]): number {
  return embeds.reduce((sum, e) => sum + embedLength(e), 0);
}
