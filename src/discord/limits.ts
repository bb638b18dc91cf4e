/**
 * Discord's documented message and embed limits.
 * Source: discord-api-docs, developers/resources/message.mdx and webhook.mdx.
 */
export const LIMITS = {
  content: 2000,
  username: 80,
  embedsPerMessage: 10,
  /** Sum of title, description, field names and values, footer text and author name over all embeds. */
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fieldsPerEmbed: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  threadName: 100,
  appliedTags: 5,
  allowedMentionIds: 100,
  maxColor: 0xffffff,
  /** Every url of a message (embed, author, icons, media, avatar); from Discord's OpenAPI spec. */
  url: 2048,
  /** Components V2 (developers/components/reference.mdx): every component counts, nested ones too. */
  componentsPerMessage: 40,
  /** Sum of the content of every text display of one message. */
  textDisplayTotal: 4000,
  textDisplay: 4000,
  buttonsPerRow: 5,
  textsPerSection: 3,
  buttonLabel: 80,
  buttonUrl: 512,
} as const;

/** Message flags a webhook may set. */
export const MESSAGE_FLAGS = {
  suppressEmbeds: 1 << 2,
  suppressNotifications: 1 << 12,
  /** A Components V2 message: components only, no content or embeds; sent with ?with_components=true. */
  isComponentsV2: 1 << 15,
} as const;
