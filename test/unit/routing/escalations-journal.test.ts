import { describe, expect, it } from 'vitest';
import { InMemoryEscalations } from '../../../src/routing/escalations.js';
import { alertKeeper } from '../../../src/routing/kept-alert.js';
import { createLogger } from '../../../src/shared/logger.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingJournal } from '../../support/recording-journal.js';
import { alert, notification } from './fixtures.js';

const MINUTE = 60_000;
const chain = {
  severities: ['critical'],
  steps: [
    { after: 5 * MINUTE, targets: ['platform-team'] },
    { after: 10 * MINUTE, targets: ['oncall-sre'] },
  ],
};

function store(clock: FakeClock, journal: RecordingJournal) {
  const sent: { fingerprints: string[]; targets: readonly string[] }[] = [];
  const escalations = new InMemoryEscalations({
    clock,
    log: createLogger('silent'),
    journal,
    send: (n, targets) => sent.push({ fingerprints: n.alerts.map((a) => a.fingerprint), targets }) > 0,
  });
  return { escalations, sent };
}

describe('escalation timers and their journal', () => {
  it('records the armed chain, each step taken, the finished episode, and removes the chain', async () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const { escalations } = store(clock, journal);
    const crit = alert({ severity: 'critical' });
    escalations.arm('payments', chain, alertKeeper(notification([crit]))(crit));
    const armedKey = `armed:payments\u0000${crit.fingerprint}`;
    expect(journal.changes).toEqual([
      {
        op: 'put',
        space: 'escalations',
        key: armedKey,
        value: expect.objectContaining({ routeId: 'payments', next: 0, firstSeen: clock.now(), escalation: chain }),
        ttlMs: undefined,
      },
    ]);
    await clock.advance(5 * MINUTE);
    expect(journal.entries('escalations')).toEqual([[armedKey, expect.objectContaining({ next: 1 })]]);
    await clock.advance(5 * MINUTE);
    expect(journal.entries('escalations')).toEqual([
      [`finished:payments\u0000${crit.fingerprint}\u0000${crit.startsAt}`, true],
    ]);
    expect(journal.changes.filter((c) => c.op === 'remove')).toEqual([
      { op: 'remove', space: 'escalations', key: armedKey },
    ]);
  });

  it('a resolution removes the chain from the journal', () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const { escalations } = store(clock, journal);
    const crit = alert({ severity: 'critical' });
    escalations.arm('payments', chain, alertKeeper(notification([crit]))(crit));
    escalations.resolve(crit.fingerprint);
    expect(journal.entries('escalations')).toEqual([]);
    expect(escalations.pending).toBe(0);
  });

  it('restored into another store, fires an overdue step at once and the next on time', async () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const a = store(clock, journal);
    const crit = alert({ severity: 'critical' });
    a.escalations.arm('payments', chain, alertKeeper(notification([crit]))(crit));
    a.escalations.stop();

    clock.advanceSync(6 * MINUTE);
    const b = store(clock, new RecordingJournal());
    expect(b.escalations.restore(journal.entries('escalations'))).toEqual({ restored: 1, dropped: 0 });
    expect(b.escalations.usage).toEqual(a.escalations.usage);
    await clock.advance(0);
    expect(b.sent).toEqual([{ fingerprints: [crit.fingerprint], targets: ['platform-team'] }]);
    await clock.advance(4 * MINUTE - 1);
    expect(b.sent).toHaveLength(1);
    await clock.advance(1);
    expect(b.sent[1]).toEqual({ fingerprints: [crit.fingerprint], targets: ['oncall-sre'] });
    expect(a.sent).toEqual([]);
  });

  it('a restored finished episode is not started again by a repeat of its alert; invalid entries are dropped', () => {
    const clock = new FakeClock();
    const crit = alert({ severity: 'critical' });
    const { escalations } = store(clock, new RecordingJournal());
    const count = escalations.restore([
      [`finished:payments\u0000${crit.fingerprint}\u0000${crit.startsAt}`, true],
      ['armed:payments\u0000x', { routeId: 'payments' }],
      ['other', 1],
    ]);
    expect(count).toEqual({ restored: 1, dropped: 2 });
    const kept = alertKeeper(notification([crit]))(crit);
    expect(escalations.growth('payments', kept)).toEqual({ entries: 0, bytes: 0 });
    escalations.arm('payments', chain, kept);
    expect(escalations.pending).toBe(0);
  });
});
