import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/alertmanager/payload.js';
import { Heartbeat } from '../../../src/routing/heartbeat.js';
import { createLogger } from '../../../src/shared/logger.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingJournal } from '../../support/recording-journal.js';
import { alert, notification } from './fixtures.js';

const MINUTE = 60_000;
const beat = () => notification([alert({ alertname: 'Watchdog' })]);

function watcher(clock: FakeClock, journal: RecordingJournal) {
  const notices: Notification[] = [];
  const seen: number[] = [];
  const silent: boolean[] = [];
  const heartbeat = new Heartbeat({
    alertname: 'Watchdog',
    timeoutMs: 10 * MINUTE,
    clock,
    log: createLogger('silent'),
    journal,
    notify: (n) => notices.push(n),
    onSeen: (at) => seen.push(at),
    onSilentChange: (s) => silent.push(s),
  });
  return { heartbeat, notices, seen, silent };
}

describe('heartbeat and its journal', () => {
  it('records last-seen on each beat, and since when it is silent', async () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const { heartbeat } = watcher(clock, journal);
    heartbeat.observe(beat());
    const seenAt = clock.now();
    expect(journal.changes).toEqual([
      { op: 'put', space: 'heartbeat', key: 'Watchdog', value: { lastSeen: seenAt }, ttlMs: undefined },
    ]);
    await clock.advance(11 * MINUTE);
    expect(journal.entries('heartbeat')).toEqual([['Watchdog', { lastSeen: seenAt, silentSince: seenAt }]]);
    await heartbeat.stop();
  });

  it('a takeover after a recent beat raises no alarm before the timeout counted from that beat', async () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const a = watcher(clock, journal);
    a.heartbeat.observe(beat());
    await a.heartbeat.stop();

    await clock.advance(8 * MINUTE);
    const b = watcher(clock, new RecordingJournal());
    expect(b.heartbeat.restore(journal.entries('heartbeat'))).toEqual({ restored: 1, dropped: 0 });
    expect(b.seen).toEqual([clock.now() - 8 * MINUTE]);
    b.heartbeat.observe(beat());
    await clock.advance(9 * MINUTE);
    expect(b.notices).toEqual([]);
    await clock.advance(2 * MINUTE);
    expect(b.notices.map((n) => n.status)).toEqual(['firing']);
    await b.heartbeat.stop();
  });

  it('a takeover while silent does not alarm again, and says "back" when the beat returns', async () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const a = watcher(clock, journal);
    await clock.advance(11 * MINUTE);
    expect(a.notices.map((n) => n.status)).toEqual(['firing']);
    await a.heartbeat.stop();

    const b = watcher(clock, new RecordingJournal());
    b.heartbeat.restore(journal.entries('heartbeat'));
    expect(b.silent).toEqual([true]);
    await clock.advance(30 * MINUTE);
    expect(b.notices).toEqual([]);
    b.heartbeat.observe(beat());
    expect(b.notices.map((n) => n.status)).toEqual(['resolved']);
    expect(b.silent).toEqual([true, false]);
    await b.heartbeat.stop();
  });

  it('drops entries of another heartbeat or of the wrong shape, and counts them', async () => {
    const clock = new FakeClock();
    const { heartbeat, seen } = watcher(clock, new RecordingJournal());
    expect(
      heartbeat.restore([
        ['Other', { lastSeen: 1 }],
        ['Watchdog', { lastSeen: 'yesterday' }],
      ]),
    ).toEqual({ restored: 0, dropped: 2 });
    expect(seen).toEqual([]);
    await heartbeat.stop();
  });
});
