import { describe, expect, it } from 'vitest';
import { DeadLetterRing } from '../../../src/delivery/dead-letters.js';
import { Deduplicator } from '../../../src/lifecycle/dedup.js';
import { parseNotification } from '../../../src/alertmanager/payload.js';
import { restoreFrom } from '../../../src/state/restorable.js';
import { fixture } from '../../fixtures/index.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingJournal } from '../../support/recording-journal.js';

describe('restoreFrom', () => {
  it('loads each space from the snapshot into its store and says what each took back', async () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const r = parseNotification(fixture('firing'));
    if (!r.ok) throw new Error('fixture');
    new Deduplicator({ windowMs: 60_000, repeat: 'repost', maxEntries: 10, clock, journal }).remember(
      'team',
      r.notification,
    );
    journal.put('dead-letters', 'letter:1', { broken: true });

    const dedup = new Deduplicator({ windowMs: 60_000, repeat: 'repost', maxEntries: 10, clock });
    const deadLetters = new DeadLetterRing(10);
    const counts = await restoreFrom(journal, { dedup, 'dead-letters': deadLetters }, clock.now());
    expect(counts).toEqual({ dedup: { restored: 1, dropped: 0 }, 'dead-letters': { restored: 0, dropped: 1 } });
    expect(dedup.isDuplicate('team', r.notification)).toBe(true);
  });
});
