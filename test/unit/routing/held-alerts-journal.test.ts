import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/alertmanager/payload.js';
import { InMemoryHeldAlerts } from '../../../src/routing/held-alerts.js';
import { alertKeeper } from '../../../src/routing/kept-alert.js';
import { createLogger } from '../../../src/shared/logger.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingJournal } from '../../support/recording-journal.js';
import { alert, notification } from './fixtures.js';

const MINUTE = 60_000;

function store(clock: FakeClock, journal: RecordingJournal) {
  const sent: { n: Notification; target: string }[] = [];
  const held = new InMemoryHeldAlerts({
    clock,
    log: createLogger('silent'),
    journal,
    send: (n, target) => sent.push({ n, target }) > 0,
  });
  return { held, sent };
}

describe('held alerts and their journal', () => {
  it('records each held alert under space "held" without a TTL, and removes it when cancelled', () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const { held } = store(clock, journal);
    const a = alert({ severity: 'warning' });
    const n = notification([a]);
    held.hold('auth', alertKeeper(n)(a), clock.now() + MINUTE);
    expect(journal.changes).toEqual([
      {
        op: 'put',
        space: 'held',
        key: `auth\u0000${n.groupKey}\u0000${a.fingerprint}`,
        value: expect.objectContaining({ target: 'auth', releaseAt: clock.now() + MINUTE, alert: a }),
        ttlMs: undefined,
      },
    ]);
    expect(held.cancel('auth', n.groupKey, a.fingerprint)).toBe(true);
    expect(journal.changes[1]).toEqual({ op: 'remove', space: 'held', key: journal.changes[0]!.key });
    expect(journal.entries('held')).toEqual([]);
  });

  it('restored into another store, releases on time; what came due during the takeover goes at once', async () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const a = store(clock, journal);
    const soon = alert({ severity: 'warning' });
    const later = alert({ severity: 'info' });
    const n = notification([soon, later]);
    const keep = alertKeeper(n);
    a.held.hold('auth', keep(soon), clock.now() + MINUTE);
    a.held.hold('auth', keep(later), clock.now() + 10 * MINUTE);

    clock.advanceSync(2 * MINUTE);
    const b = store(clock, new RecordingJournal());
    expect(b.held.restore(journal.entries('held'))).toEqual({ restored: 2, dropped: 0 });
    expect(b.held.usage).toEqual(a.held.usage);
    await clock.advance(0);
    expect(b.sent.map((s) => s.n.alerts.map((x) => x.fingerprint))).toEqual([[soon.fingerprint]]);
    await clock.advance(8 * MINUTE);
    expect(b.sent.map((s) => s.n.alerts.map((x) => x.fingerprint))).toEqual([[soon.fingerprint], [later.fingerprint]]);
    expect(b.sent[1]).toMatchObject({ target: 'auth', n: { groupKey: n.groupKey, receiver: n.receiver } });
    expect(b.held.size).toBe(0);
  });

  it('drops entries that are not held alerts, and counts them', () => {
    const clock = new FakeClock();
    const { held } = store(clock, new RecordingJournal());
    expect(
      held.restore([
        ['x', { target: 'auth' }],
        ['y', 'nonsense'],
      ]),
    ).toEqual({ restored: 0, dropped: 2 });
    expect(held.size).toBe(0);
  });
});
