import { z } from 'zod';
import { durationSchema } from './units.js';

/**
 * A route's escalation chain: an alert of these severities still firing `after` a step's
 * time (counted from when alertcord first received it firing) is posted to that step's targets.
 */
export const escalationSchema = z
  .strictObject({
    severities: z.array(z.string()).min(1).default(['critical']),
    steps: z
      .array(z.strictObject({ after: durationSchema, targets: z.array(z.string()).min(1) }))
      .min(1)
      .superRefine((steps, ctx) => {
        steps.forEach((step, i) => {
          if (step.after <= 0) ctx.addIssue({ code: 'custom', path: [i, 'after'], message: 'must be more than 0' });
          const before = steps[i - 1];
          if (before && step.after <= before.after)
            ctx.addIssue({ code: 'custom', path: [i, 'after'], message: 'must be later than the step before' });
        });
      }),
  })
  .transform((e) => ({ ...e, severities: e.severities.map((s) => s.toLowerCase()) }));

export type Escalation = z.output<typeof escalationSchema>;
export type EscalationStep = Escalation['steps'][number];
