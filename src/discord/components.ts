import { z } from 'zod';
import { httpUrlOf } from './http-url.js';
import { LIMITS, MESSAGE_FLAGS } from './limits.js';

/**
 * Components V2 as a plain (non-application) webhook may send them: layout and text, and
 * link buttons only (`custom_id` buttons and selects are refused for such webhooks).
 * Source: discord-api-docs, developers/components/reference.mdx.
 */
export const COMPONENT = {
  actionRow: 1,
  button: 2,
  section: 9,
  textDisplay: 10,
  separator: 14,
  container: 17,
} as const;

/** The only button style a non-application webhook may send. */
export const LINK_BUTTON = 5;

const trimmedLength = (s: string): number => s.trim().length;

const linkUrl = httpUrlOf(LIMITS.buttonUrl);

export const linkButtonSchema = z.strictObject({
  type: z.literal(COMPONENT.button),
  style: z.literal(LINK_BUTTON),
  label: z.string().refine((s) => trimmedLength(s) >= 1 && trimmedLength(s) <= LIMITS.buttonLabel, {
    message: `must be 1-${LIMITS.buttonLabel} characters`,
  }),
  url: linkUrl,
});

export const textDisplaySchema = z.strictObject({
  type: z.literal(COMPONENT.textDisplay),
  content: z.string().refine((s) => trimmedLength(s) >= 1 && trimmedLength(s) <= LIMITS.textDisplay, {
    message: `must be 1-${LIMITS.textDisplay} characters`,
  }),
});

export const actionRowSchema = z.strictObject({
  type: z.literal(COMPONENT.actionRow),
  components: z.array(linkButtonSchema).min(1).max(LIMITS.buttonsPerRow),
});

export const sectionSchema = z.strictObject({
  type: z.literal(COMPONENT.section),
  components: z.array(textDisplaySchema).min(1).max(LIMITS.textsPerSection),
  accessory: linkButtonSchema,
});

export const separatorSchema = z.strictObject({
  type: z.literal(COMPONENT.separator),
  divider: z.boolean().optional(),
  spacing: z.union([z.literal(1), z.literal(2)]).optional(),
});

const innerComponentSchema = z.discriminatedUnion('type', [
  actionRowSchema,
  sectionSchema,
  textDisplaySchema,
  separatorSchema,
]);

export const containerSchema = z.strictObject({
  type: z.literal(COMPONENT.container),
  accent_color: z.number().int().min(0).max(LIMITS.maxColor).optional(),
  spoiler: z.boolean().optional(),
  components: z.array(innerComponentSchema).min(1),
});

export const topLevelComponentSchema = z.discriminatedUnion('type', [
  containerSchema,
  actionRowSchema,
  sectionSchema,
  textDisplaySchema,
  separatorSchema,
]);

export type LinkButton = z.infer<typeof linkButtonSchema>;
export type TextDisplay = z.infer<typeof textDisplaySchema>;
export type ActionRow = z.infer<typeof actionRowSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type Separator = z.infer<typeof separatorSchema>;
export type Container = z.infer<typeof containerSchema>;
export type InnerComponent = z.infer<typeof innerComponentSchema>;
export type Component = z.infer<typeof topLevelComponentSchema>;

type AnyComponent = Component | LinkButton;

const children = (c: AnyComponent): readonly AnyComponent[] => {
  switch (c.type) {
    case COMPONENT.container:
    case COMPONENT.actionRow:
      return c.components;
    case COMPONENT.section:
      return [...c.components, c.accessory];
    default:
      return [];
  }
};

/** How many components Discord counts: each one, nested ones included. */
export function componentCount(components: readonly AnyComponent[]): number {
  let n = 0;
  for (const c of components) n += 1 + componentCount(children(c));
  return n;
}

/** The characters of every text display, nested ones included (trimmed, as Discord counts). */
export function textDisplayLength(components: readonly AnyComponent[]): number {
  let n = 0;
  for (const c of components) {
    if (c.type === COMPONENT.textDisplay) n += trimmedLength(c.content);
    else n += textDisplayLength(children(c));
  }
  return n;
}

/** Every link button, in reading order. */
export function linkButtons(components: readonly AnyComponent[]): LinkButton[] {
  return components.flatMap((c) => (c.type === COMPONENT.button ? [c] : linkButtons(children(c))));
}

export const isComponentsV2 = (m: { flags?: number | undefined }): boolean =>
  ((m.flags ?? 0) & MESSAGE_FLAGS.isComponentsV2) !== 0;
