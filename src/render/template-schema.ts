import { z } from 'zod';

/**
 * A message template is YAML whose string leaves are Handlebars. Each leaf renders to a
 * string that is placed into the message object, never concatenated into JSON, so no
 * alert text — quotes, newlines, backslashes — can change the message's structure.
 */
const leaf = z.string();
const flag = z.union([z.boolean(), z.string()]);

const fieldTemplate = z.strictObject({
  name: leaf,
  value: leaf,
  inline: flag.optional(),
  /** Rendered; the field is left out when it renders empty or "false". */
  if: leaf.optional(),
});

const embedTemplate = z.strictObject({
  /** Repeat this embed once per alert: all alerts, only firing, or only resolved ones. */
  for_each: z.enum(['alerts', 'firing', 'resolved']).optional(),
  if: leaf.optional(),
  title: leaf.optional(),
  description: leaf.optional(),
  url: leaf.optional(),
  color: leaf.optional(),
  timestamp: leaf.optional(),
  author: z.strictObject({ name: leaf, url: leaf.optional(), icon_url: leaf.optional() }).optional(),
  footer: z.strictObject({ text: leaf, icon_url: leaf.optional() }).optional(),
  thumbnail: z.strictObject({ url: leaf }).optional(),
  image: z.strictObject({ url: leaf }).optional(),
  fields: z.array(fieldTemplate).optional(),
});

export const messageTemplateSchema = z.strictObject({
  description: z.string().optional(),
  /** Named Handlebars partials usable from every leaf of this template as {{> name}}. */
  partials: z.record(z.string(), z.string()).optional(),
  content: leaf.optional(),
  username: leaf.optional(),
  avatar_url: leaf.optional(),
  thread_name: leaf.optional(),
  embeds: z.array(embedTemplate).default([]),
});

export type MessageTemplateSource = z.infer<typeof messageTemplateSchema>;
export type EmbedTemplateSource = z.infer<typeof embedTemplate>;
export type FieldTemplateSource = z.infer<typeof fieldTemplate>;
