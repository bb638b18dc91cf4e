import { z } from 'zod';
import { notificationSchema } from '../alertmanager/payload.js';

// JSON has no undefined: a message outside a thread comes back without `threadId`.
const threadId = z
  .string()
  .optional()
  .transform((id) => id);

export const postedMessageSchema = z.object({
  webhookId: z.string(),
  messageIds: z.array(z.string()),
  threadId,
  resolved: z.boolean(),
  state: z.string(),
});

export const sharedViewSchema = z.object({
  webhookId: z.string(),
  messageId: z.string(),
  threadId,
  groupKeys: z.array(z.string()),
});

export const groupStateSchema = z.object({
  notification: notificationSchema,
  flags: z.number().int().optional(),
  digest: z.boolean(),
});

/** Where a group's message is: one id per part, in order; the last may be a view shared with other groups. */
export type PostedMessage = z.output<typeof postedMessageSchema>;
/** A message that shows several groups (packed, digest): which ones, in order. */
export type SharedView = z.output<typeof sharedViewSchema>;
/** What a group's message should show now: its latest notification, and how it is drawn. */
export type GroupState = z.output<typeof groupStateSchema>;
