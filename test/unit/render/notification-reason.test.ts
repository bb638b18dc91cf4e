import { describe, expect, it } from 'vitest';
import { parseNotification, type Notification } from '../../../src/alertmanager/payload.js';
import { renderMessages } from '../../../src/render/render-job.js';
import { loadTemplateSet } from '../../../src/render/template-set.js';
import { fixedEnv, notification } from '../../support/templates.js';

const templates = loadTemplateSet(fixedEnv);

function withReason(reason: unknown): Notification {
  const parsed = parseNotification({ ...notification('firing'), notification_reason: reason });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.notification;
}

const rendered = (n: Notification, template: string) =>
  JSON.stringify(renderMessages(templates, { notification: n, target: 't', template }).messages);

describe('notification_reason (Alertmanager >= 0.32)', () => {
  it('reaches templates, and is dropped, not refused, when it is not a string', () => {
    expect(withReason('new alerts added').notification_reason).toBe('new alerts added');
    expect(withReason(42).notification_reason).toBeUndefined();
  });

  it.each(templates.names())('%s says "repeat" on a repeat-interval re-send only', (template) => {
    expect(rendered(withReason('repeat interval elapsed'), template)).toMatch(/repeat/);
    expect(rendered(withReason('first notification'), template)).not.toMatch(/repeat/);
    expect(rendered(notification('firing'), template)).not.toMatch(/repeat/);
  });
});
