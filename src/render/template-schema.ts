import { z } from 'zod';
import { componentTemplate } from './component-template-schema.js';

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

const scope = z.enum(['alerts', 'firing', 'resolved']);

const embedTemplate = z
  .strictObject({
    /** Repeat this embed once per alert: all alerts, only firing, or only resolved ones. */
    for_each: scope.optional(),
    /**
     * A digest: render `line` once per alert and pack the lines into as many embeds as they
     * need (each within Discord's limits, no line split across two), so no alert goes unnamed.
     */
    lines_for_each: scope.optional(),
    /** One alert's line in a digest; rendered with the alert, like a `for_each` embed. */
    line: leaf.optional(),
    /** A digest's text above its lines, repeated on every embed it fills. */
    header: leaf.optional(),
    /** Order of the alerts: `severity` (most urgent first) or a path such as `labels.instance`. */
    sort_by: z.string().min(1).optional(),
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
  })
  .superRefine((e, ctx) => {
    const issue = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
    if (e.lines_for_each === undefined) {
      if (e.line !== undefined) issue('line', 'needs lines_for_each');
      if (e.header !== undefined) issue('header', 'needs lines_for_each (in other embeds use description)');
      if (e.sort_by !== undefined && e.for_each === undefined) issue('sort_by', 'needs for_each or lines_for_each');
      return;
    }
    if (e.line === undefined) issue('lines_for_each', 'needs a line');
    if (e.for_each !== undefined) issue('for_each', 'an embed has either for_each or lines_for_each');
    // The lines fill the description; fields would repeat on every embed and eat the budget.
    if (e.description !== undefined) issue('description', 'a digest uses header, not description');
    if (e.fields !== undefined) issue('fields', 'a digest has no fields');
  });

export const messageTemplateSchema = z
  .strictObject({
    description: z.string().optional(),
    /** Named Handlebars partials usable from every leaf of this template as {{> name}}. */
    partials: z.record(z.string(), z.string()).optional(),
    content: leaf.optional(),
    username: leaf.optional(),
    avatar_url: leaf.optional(),
    thread_name: leaf.optional(),
    embeds: z.array(embedTemplate).default([]),
    /** A Components V2 message (cards, link buttons) instead of embeds: see component-template-schema.ts. */
    components: z.array(componentTemplate).min(1).optional(),
    /** The template a storm renders this one's messages with, unless the target names one. */
    storm_template: z.string().min(1).optional(),
  })
  .superRefine((t, ctx) => {
    // Discord refuses embeds beside V2 components, and a message can never drop the V2 flag.
    if (t.components !== undefined && t.embeds.length > 0)
      ctx.addIssue({ code: 'custom', path: ['components'], message: 'a template has either embeds or components' });
  });

export type MessageTemplateSource = z.infer<typeof messageTemplateSchema>;
export type EmbedTemplateSource = z.infer<typeof embedTemplate>;
export type FieldTemplateSource = z.infer<typeof fieldTemplate>;
