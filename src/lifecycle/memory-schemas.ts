import { z } from 'zod';
import { notificationSchema } from '../alertmanager/payload.js';
import type { GroupState } from './group-states.js';
import type { PostedMessage, SharedView } from './message-memory.js';

// JSON has no undefined: a message outside a thread comes back without `threadId`.
const threadId = z
  .string()
  .optional()
  .transform((id) => id);

export const postedMessageSchema: z.ZodType<PostedMessage> = z.object({
  webhookId: z.string(),
  messageIds: z.array(z.string()),
  threadId,
  resolved: z.boolean(),
  state: z.string(),
});

export const sharedViewSchema: z.ZodType<SharedView> = z.object({
  webhookId: z.string(),
  messageId: z.string(),
  threadId,
  groupKeys: z.array(z.string()),
});

export const groupStateSchema: z.ZodType<GroupState> = z.object({
  notification: notificationSchema,
  flags: z.number().int().optional(),
  digest: z.boolean(),
});
