import { describe, expect, it } from 'vitest';
import { parseNotification } from '../../../src/alertmanager/payload.js';
import { notificationBytes } from '../../../src/delivery/notification-bytes.js';
import { subNotification } from '../../../src/routing/sub-notification.js';
import { jsonSize } from '../../../src/shared/json-size.js';
import { fixture } from '../../fixtures/index.js';

const parsed = (name: Parameters<typeof fixture>[0]) => {
  const r = parseNotification(fixture(name));
  if (!r.ok) throw new Error('bad fixture');
  return r.notification;
};

describe('notificationBytes', () => {
  it.each(['firing', 'storm', 'mixed', 'huge-annotations'] as const)(
    'is within a tenth of the JSON size of %s',
    (name) => {
      const n = parsed(name);
      const json = Buffer.byteLength(JSON.stringify(n));
      expect(Math.abs(notificationBytes(n) - json) / json).toBeLessThan(0.1);
    },
  );

  it('counts a target subset by its own alerts', () => {
    const n = parsed('storm');
    const half = subNotification(n, n.alerts.slice(0, Math.floor(n.alerts.length / 2)));
    expect(notificationBytes(half)).toBeLessThan(notificationBytes(n) * 0.6);
  });

  it('reads lengths only: a deeply nested extra field neither overflows nor costs its text', () => {
    let deep: unknown = 'x'.repeat(1000);
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(jsonSize(deep)).toBe(1002 + 200_000 * 3);
  });
});
