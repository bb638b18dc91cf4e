/** How a severity label looks in Discord. Configurable mapping comes with routing. */
export interface SeverityStyle {
  color: number;
  emoji: string;
}

export const RESOLVED_STYLE: SeverityStyle = { color: 0x2ecc71, emoji: '✅' };

export const DEFAULT_SEVERITIES: Readonly<Record<string, SeverityStyle>> = {
  critical: { color: 0xe74c3c, emoji: '🔴' },
  error: { color: 0xe67e22, emoji: '🟠' },
  warning: { color: 0xf39c12, emoji: '🟡' },
  info: { color: 0x3498db, emoji: '🔵' },
  none: { color: 0x95a5a6, emoji: '⚪' },
};

/** Unknown or missing severities look like warnings: visible, but not alarming. */
export const UNKNOWN_SEVERITY: SeverityStyle = { color: 0xf39c12, emoji: '🟡' };

export function severityStyle(severity: string | undefined, status?: string): SeverityStyle {
  if (status === 'resolved') return RESOLVED_STYLE;
  return DEFAULT_SEVERITIES[(severity ?? '').toLowerCase()] ?? UNKNOWN_SEVERITY;
}
