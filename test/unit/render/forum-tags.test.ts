import { describe, expect, it } from 'vitest';
import { parseNotification, type Notification } from '../../../src/alertmanager/payload.js';
import { configSchema } from '../../../src/config/schema.js';
import { addForumTags, forumTagsFor, forumTagsSchema } from '../../../src/render/forum-tags.js';
import { NO_MENTIONS } from '../../../src/render/render.js';
import { renderMessages } from '../../../src/render/render-job.js';
import { loadTemplateSet } from '../../../src/render/template-set.js';
import { defaultSeverityModel } from '../../../src/shared/severity.js';
import { fixture } from '../../fixtures/index.js';

const CRIT = '111111111111111111';
const WARN = '222222222222222222';
const INFO = '333333333333333333';
const DONE = '444444444444444444';

function notification(alerts: readonly (readonly [severity: string, status: 'firing' | 'resolved'])[]): Notification {
  const body = fixture('firing');
  body.alerts = alerts.map(([severity, status], i) => ({
    ...body.alerts[0]!,
    status,
    fingerprint: `f${i}`,
    labels: { ...(body.alerts[0]!.labels as object), severity },
  }));
  body.status = alerts.some(([, s]) => s === 'firing') ? 'firing' : 'resolved';
  const parsed = parseNotification(body);
  if (!parsed.ok) throw new Error('bad fixture');
  return parsed.notification;
}

describe('forumTagsFor', () => {
  const tags = forumTagsSchema.parse({ critical: [CRIT], Warning: [WARN], info: [INFO], resolved: [DONE] });
  const of = (alerts: [string, 'firing' | 'resolved'][]) =>
    forumTagsFor(tags, notification(alerts), defaultSeverityModel);

  it("takes the most urgent firing alert's severity, matched case-insensitively", () => {
    expect(
      of([
        ['warning', 'firing'],
        ['CRITICAL', 'firing'],
        ['info', 'firing'],
      ]),
    ).toEqual([CRIT]);
    expect(
      of([
        ['info', 'firing'],
        ['WARNING', 'firing'],
      ]),
    ).toEqual([WARN]);
  });

  it('ignores resolved alerts while the group still fires', () => {
    expect(
      of([
        ['critical', 'resolved'],
        ['info', 'firing'],
      ]),
    ).toEqual([INFO]);
  });

  it('adds the resolved tags to a resolved group, after its severity', () => {
    expect(
      of([
        ['warning', 'resolved'],
        ['info', 'resolved'],
      ]),
    ).toEqual([WARN, DONE]);
  });

  it('has none for a severity without tags, or without a config', () => {
    expect(of([['error', 'firing']])).toBeUndefined();
    expect(forumTagsFor(undefined, notification([['critical', 'firing']]), defaultSeverityModel)).toBeUndefined();
  });

  it('keeps each id once when severity and resolved share a tag', () => {
    const shared = forumTagsSchema.parse({ critical: [CRIT, DONE], resolved: [DONE] });
    expect(forumTagsFor(shared, notification([['critical', 'resolved']]), defaultSeverityModel)).toEqual([CRIT, DONE]);
  });
});

describe('forum_tags in the config', () => {
  const target = (t: Record<string, unknown>) =>
    configSchema.safeParse({ targets: { t: { dry_run: true, ...t } }, routes: [{ targets: ['t'] }] });

  it('takes Discord ids, at most 5 per key', () => {
    expect(target({ forum: true, forum_tags: { critical: [CRIT] } }).success).toBe(true);
    expect(target({ forum: true, forum_tags: { critical: ['not-an-id'] } }).success).toBe(false);
    expect(target({ forum: true, forum_tags: { critical: Array(6).fill(CRIT) } }).success).toBe(false);
  });

  it('needs a forum target', () => {
    const r = target({ forum_tags: { critical: [CRIT] } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain('forum: true');
  });
});

describe('tags on the rendered post', () => {
  const templates = loadTemplateSet({ now: () => Date.parse('2024-05-01T12:00:00Z') });
  // More alerts than one window: the render takes two pages.
  const many = notification(Array.from({ length: 300 }, () => ['critical', 'firing'] as const));
  const request = { notification: many, target: 't', appliedTags: [CRIT] };

  it('go on the first message of the first page only', () => {
    for (const template of ['default', 'cards']) {
      const whole = renderMessages(templates, { ...request, template });
      expect(whole.messages[0]?.applied_tags).toEqual([CRIT]);
      expect(whole.messages.slice(1).every((m) => m.applied_tags === undefined)).toBe(true);
      expect(renderMessages(templates, { ...request, template, page: 0 }).messages[0]?.applied_tags).toEqual([CRIT]);
      const later = renderMessages(templates, { ...request, template, page: 1 }).messages;
      expect(later.length).toBeGreaterThan(0);
      expect(later.every((m) => m.applied_tags === undefined)).toBe(true);
    }
  });

  it("merge after the template's own, each once; fitting keeps the first 5", () => {
    const draft = { embeds: [], allowed_mentions: NO_MENTIONS, applied_tags: [WARN, CRIT] };
    expect(addForumTags(draft, [CRIT, INFO]).applied_tags).toEqual([WARN, CRIT, INFO]);
    expect(addForumTags(draft, undefined)).toBe(draft);
  });
});
