import { describe, expect, it } from 'vitest';
import { parseNotification, type Notification } from '../../../src/alertmanager/payload.js';
import { Deduplicator } from '../../../src/lifecycle/dedup.js';
import { fixture } from '../../fixtures/index.js';
import { FakeClock } from '../../support/fake-clock.js';

function notification(mutate: (b: ReturnType<typeof fixture>) => void = () => {}): Notification {
  const body = fixture('firing');
  mutate(body);
  const r = parseNotification(body);
  if (!r.ok) throw new Error('fixture');
  return r.notification;
}

const resolvedAll = (b: ReturnType<typeof fixture>) => {
  b.status = 'resolved';
  for (const a of b.alerts) {
    a.status = 'resolved';
    a.endsAt = '2026-11-28T00:00:00Z';
  }
};

describe('Deduplicator', () => {
  const make = (repeat: 'repost' | 'none') => {
    const clock = new FakeClock();
    return { clock, dedup: new Deduplicator({ windowMs: 5 * 60_000, repeat, maxEntries: 100, clock }) };
  };

  it('treats the same state of a group as a duplicate inside the window, per target', () => {
    const { dedup } = make('repost');
    const n = notification();
    expect(dedup.isDuplicate('a', n)).toBe(false);
    dedup.remember('a', n);
    // An HA peer's copy: other annotations or order do not matter, the alert set does.
    const copy = notification((b) => {
      b.alerts.reverse();
      b.commonAnnotations = { from: 'peer-2' };
    });
    expect(dedup.isDuplicate('a', copy)).toBe(true);
    expect(dedup.isDuplicate('b', copy)).toBe(false);
  });

  it('a change of the group is never a duplicate', () => {
    const { dedup } = make('repost');
    dedup.remember('a', notification());
    expect(dedup.isDuplicate('a', notification(resolvedAll))).toBe(false);
    expect(
      dedup.isDuplicate(
        'a',
        notification((b) => b.alerts.pop()),
      ),
    ).toBe(false);
    expect(
      dedup.isDuplicate(
        'a',
        notification((b) => (b.alerts[0]!.fingerprint = 'ffff')),
      ),
    ).toBe(false);
  });

  it('repeat: repost posts the same state again after the window (repeat_interval)', () => {
    const { clock, dedup } = make('repost');
    dedup.remember('a', notification());
    clock.advanceSync(5 * 60_000 - 1);
    expect(dedup.isDuplicate('a', notification())).toBe(true);
    clock.advanceSync(2);
    expect(dedup.isDuplicate('a', notification())).toBe(false);
  });

  it('repeat: none stays quiet until the group changes, and a group that fires again is posted', () => {
    const { clock, dedup } = make('none');
    dedup.remember('a', notification());
    clock.advanceSync(24 * 3600_000);
    expect(dedup.isDuplicate('a', notification())).toBe(true);
    dedup.remember('a', notification(resolvedAll));
    expect(dedup.isDuplicate('a', notification())).toBe(false);
  });
});
