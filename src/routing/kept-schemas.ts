import { z } from 'zod';
import { alertSchema } from '../alertmanager/payload.js';
import type { KeptAlert } from './kept-alert.js';

const labels = z.record(z.string(), z.string());

/** A kept alert as journaled: the compact alert, its group's frame, its share of the budget. */
export const keptAlertSchema = z.object({
  frame: z.object({
    version: z.literal('4'),
    groupKey: z.string().min(1),
    truncatedAlerts: z.number().int().nonnegative(),
    receiver: z.string(),
    groupLabels: labels,
    externalURL: z.string(),
  }),
  alert: alertSchema,
  bytes: z.number().nonnegative(),
}) satisfies z.ZodType<KeptAlert>;
