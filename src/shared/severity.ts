import { z } from 'zod';

/**
 * The severity model: how an alert's `severity` label maps to a delivery priority and to
 * its look in Discord. One table, used by the scheduler (priority) and the templates
 * (colour, emoji), configurable under `severities:`.
 */
export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Higher is more urgent; for sorting. */
export const priorityRank = (p: Priority): number => PRIORITIES.length - PRIORITIES.indexOf(p);

const colorSchema = z.union([
  z.number().int().min(0).max(0xffffff),
  z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be #RRGGBB')
    .transform((s) => parseInt(s.slice(1), 16)),
]);

export const severityStyleSchema = z.strictObject({
  priority: z.enum(PRIORITIES),
  color: colorSchema,
  emoji: z.string().max(32),
});

export type SeverityStyle = z.output<typeof severityStyleSchema>;

export const DEFAULT_SEVERITIES: Readonly<Record<string, SeverityStyle>> = {
  critical: { priority: 'critical', color: 0xe74c3c, emoji: '🔴' },
  error: { priority: 'high', color: 0xe67e22, emoji: '🟠' },
  warning: { priority: 'normal', color: 0xf39c12, emoji: '🟡' },
  info: { priority: 'low', color: 0x3498db, emoji: '🔵' },
  none: { priority: 'low', color: 0x95a5a6, emoji: '⚪' },
};

/** An unknown or missing severity: visible and delivered at normal priority, not alarming. */
export const UNKNOWN_SEVERITY: SeverityStyle = { priority: 'normal', color: 0xf39c12, emoji: '🟡' };
export const RESOLVED_LOOK = { color: 0x2ecc71, emoji: '✅' } as const;

export interface SeverityModel {
  style(severity: string | undefined): SeverityStyle;
  /** Resolved alerts are green whatever their severity. */
  look(severity: string | undefined, status?: string): { color: number; emoji: string };
  priority(severity: string | undefined): Priority;
}

export function createSeverityModel(
  overrides: Readonly<Record<string, SeverityStyle>> = {},
  unknown: SeverityStyle = UNKNOWN_SEVERITY,
): SeverityModel {
  const table = new Map(Object.entries({ ...DEFAULT_SEVERITIES, ...overrides }).map(([k, v]) => [k.toLowerCase(), v]));
  const style = (severity: string | undefined) => table.get((severity ?? '').toLowerCase()) ?? unknown;
  return {
    style,
    look: (severity, status) => (status === 'resolved' ? RESOLVED_LOOK : style(severity)),
    priority: (severity) => style(severity).priority,
  };
}

export const defaultSeverityModel = createSeverityModel();
