import { describe, expect, it } from 'vitest';
import { parseNotification, type Notification } from '../../../src/alertmanager/payload.js';
import { mentionsFor, targetMentionsSchema } from '../../../src/render/mentions.js';
import { fixture } from '../../fixtures/index.js';

const ONCALL = '123456789012345678';
const TEAM = '223456789012345678';
const LEAD = '323456789012345678';

function notification(severities: string[], status: 'firing' | 'resolved' = 'firing'): Notification {
  const body = fixture('firing');
  body.alerts = severities.map((severity, i) => ({
    ...body.alerts[0]!,
    status,
    fingerprint: `f${i}`,
    labels: { ...(body.alerts[0]!.labels as object), severity },
  }));
  const parsed = parseNotification(body);
  if (!parsed.ok) throw new Error('bad fixture');
  return parsed.notification;
}

describe('mentionsFor', () => {
  const perSeverity = targetMentionsSchema.parse({
    critical: { roles: [ONCALL], users: [LEAD] },
    warning: { roles: [TEAM] },
  });

  it('pings the mentions of every severity firing in the notification, once each', () => {
    expect(mentionsFor(perSeverity, notification(['CRITICAL', 'warning', 'critical']))).toEqual({
      roles: [ONCALL, TEAM],
      users: [LEAD],
    });
    expect(mentionsFor(perSeverity, notification(['warning']))).toEqual({ roles: [TEAM], users: [] });
  });

  it('pings nobody for other severities or a resolution', () => {
    expect(mentionsFor(perSeverity, notification(['info']))).toBeUndefined();
    expect(mentionsFor(perSeverity, notification(['critical'], 'resolved'))).toBeUndefined();
  });

  it('keeps flat mentions for every message, and refuses a mix of both shapes', () => {
    const flat = targetMentionsSchema.parse({ roles: [ONCALL] });
    expect(mentionsFor(flat, notification(['info']))).toEqual({ roles: [ONCALL], users: [] });
    expect(targetMentionsSchema.safeParse({ roles: [ONCALL], critical: { roles: [TEAM] } }).success).toBe(false);
    expect(targetMentionsSchema.safeParse({ critical: { roles: ['not-an-id'] } }).success).toBe(false);
  });
});
