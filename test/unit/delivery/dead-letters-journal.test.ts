import { describe, expect, it } from 'vitest';
import { DeadLetterRing, type DeadLetter } from '../../../src/delivery/dead-letters.js';
import { RecordingJournal } from '../../support/recording-journal.js';

const letter = (groupKey: string, webhookId?: string): DeadLetter => ({
  at: '2026-12-01T03:00:00.000Z',
  target: 'team',
  webhookId,
  reason: 'attempts_exhausted',
  detail: 'HTTP 500',
  priority: 'critical',
  groupKey,
  alerts: [{ fingerprint: 'f1', status: 'firing', alertname: undefined }],
});

describe('dead letters and their journal', () => {
  it('records each letter and the total; the cap removes the oldest from the journal too', () => {
    const journal = new RecordingJournal();
    const ring = new DeadLetterRing(2, journal);
    ring.add(letter('g1', '42'));
    expect(journal.changes).toEqual([
      {
        op: 'put',
        space: 'dead-letters',
        key: 'letter:1',
        value: expect.objectContaining({ groupKey: 'g1' }),
        ttlMs: undefined,
      },
      { op: 'put', space: 'dead-letters', key: 'total', value: 1, ttlMs: undefined },
    ]);
    ring.add(letter('g2'));
    ring.add(letter('g3'));
    expect(journal.changes.filter((c) => c.op === 'remove')).toEqual([
      { op: 'remove', space: 'dead-letters', key: 'letter:1' },
    ]);
    expect(
      journal
        .entries('dead-letters')
        .map(([k]) => k)
        .sort(),
    ).toEqual(['letter:2', 'letter:3', 'total']);
  });

  it('restored into another ring, lists the same letters and total, and numbers on after them', () => {
    const journal = new RecordingJournal();
    const a = new DeadLetterRing(2, journal);
    for (const g of ['g1', 'g2', 'g3']) a.add(letter(g, g === 'g3' ? '42' : undefined));

    const bJournal = new RecordingJournal();
    const b = new DeadLetterRing(2, bJournal);
    expect(b.restore(journal.entries('dead-letters'))).toEqual({ restored: 2, dropped: 0 });
    expect(b.list()).toEqual(a.list());
    expect(b.total).toBe(3);
    b.add(letter('g4'));
    expect(bJournal.changes.map((c) => c.key)).toEqual(['letter:4', 'total', 'letter:2']);
    expect(b.list().map((l) => l.groupKey)).toEqual(['g3', 'g4']);
  });

  it('a smaller ring keeps the newest; invalid letters are dropped and counted', () => {
    const ring = new DeadLetterRing(1);
    const count = ring.restore([
      ['letter:7', letter('g7')],
      ['letter:3', letter('g3')],
      ['letter:9', { ...letter('g9'), reason: 'bored' }],
      ['letter:x', letter('gx')],
      ['total', 12],
    ]);
    expect(count).toEqual({ restored: 1, dropped: 2 });
    expect(ring.list().map((l) => l.groupKey)).toEqual(['g7']);
    expect(ring.total).toBe(12);
  });
});
