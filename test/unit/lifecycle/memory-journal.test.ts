import { describe, expect, it } from 'vitest';
import { parseNotification, type Notification } from '../../../src/alertmanager/payload.js';
import { Deduplicator } from '../../../src/lifecycle/dedup.js';
import { InMemoryGroupStates } from '../../../src/lifecycle/group-states.js';
import { InMemoryMessageMemory } from '../../../src/lifecycle/message-memory.js';
import { fixture } from '../../fixtures/index.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingJournal } from '../../support/recording-journal.js';

const TTL = 60_000;
const post = (messageId: string, threadId?: string) => ({
  webhookId: '9',
  messageId,
  threadId,
  resolved: false,
  state: 's1',
});

function firing(): Notification {
  const r = parseNotification(fixture('firing'));
  if (!r.ok) throw new Error('fixture');
  return r.notification;
}

describe('message memory and its journal', () => {
  const make = (clock: FakeClock, journal: RecordingJournal, maxEntries = 10) =>
    new InMemoryMessageMemory({ ttlMs: TTL, maxEntries, clock, journal });

  it('records posts and views under space "messages" with the memory TTL, and removes what it forgets', () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const memory = make(clock, journal);
    memory.recordPost('team', 'g', 0, post('1'));
    memory.recordView('team', { webhookId: '9', messageId: '1', threadId: undefined, groupKeys: ['g'] });
    expect(journal.changes.map((c) => [c.op, c.space, c.key.slice(0, 5), c.op === 'put' && c.ttlMs])).toEqual([
      ['put', 'messages', 'post:', TTL],
      ['put', 'messages', 'view:', TTL],
      // The view keeps its group remembered: recorded again.
      ['put', 'messages', 'post:', TTL],
    ]);
    expect(journal.changes[0]).toMatchObject({
      value: { at: clock.now(), value: { webhookId: '9', messageIds: ['1'], resolved: false, state: 's1' } },
    });
    memory.forget('team', 'g');
    memory.forgetView('team', '1');
    expect(journal.entries('messages')).toEqual([]);
  });

  it('an entry evicted to make room leaves the journal too', () => {
    const journal = new RecordingJournal();
    const memory = make(new FakeClock(), journal, 1);
    memory.recordPost('team', 'a', 0, post('1'));
    memory.recordPost('team', 'b', 0, post('2'));
    expect(journal.entries('messages').map(([, v]) => v)).toEqual([
      expect.objectContaining({ value: expect.objectContaining({ messageIds: ['2'] }) }),
    ]);
  });

  it('restored into another memory gives the same answers, and ages from when each entry was set', () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const a = make(clock, journal);
    a.recordPost('team', 'old', 0, post('1', 't1'));
    clock.advanceSync(30_000);
    a.recordPost('team', 'g', 0, post('2'));
    a.recordPost('team', 'g', 1, post('3'));
    a.settle('team', 'g', { resolved: true, state: 's2' });
    a.recordView('team', { webhookId: '9', messageId: '3', threadId: undefined, groupKeys: ['g', 'h'] });

    const b = make(clock, new RecordingJournal());
    expect(b.restore(journal.entries('messages'), clock.now())).toEqual({ restored: 3, dropped: 0 });
    for (const g of ['old', 'g', 'none']) expect(b.get('team', g)).toEqual(a.get('team', g));
    expect(b.get('team', 'old')?.threadId).toBe('t1');
    expect(b.view('team', '3')).toEqual(a.view('team', '3'));
    clock.advanceSync(30_001);
    expect(b.get('team', 'old')).toBeUndefined();
    expect(b.get('team', 'g')?.messageIds).toEqual(['2', '3']);
  });

  it('drops expired and invalid entries, and counts them', () => {
    const clock = new FakeClock();
    const memory = make(clock, new RecordingJournal());
    const count = memory.restore(
      [
        ['post:x', { at: clock.now() - TTL, value: { webhookId: '9', messageIds: [], resolved: false, state: 's' } }],
        ['post:y', { at: clock.now(), value: { webhookId: 9 } }],
        ['view:z', 'nonsense'],
      ],
      clock.now(),
    );
    expect(count).toEqual({ restored: 0, dropped: 3 });
  });
});

describe('group states and their journal', () => {
  it('records each state with the memory TTL; restored, gives the same notification back', () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const a = new InMemoryGroupStates({ ttlMs: TTL, maxEntries: 10, clock, journal });
    const n = firing();
    a.set('team', n.groupKey, { notification: n, flags: 4096, digest: false });
    expect(journal.changes).toEqual([expect.objectContaining({ op: 'put', space: 'group-states', ttlMs: TTL })]);
    const b = new InMemoryGroupStates({ ttlMs: TTL, maxEntries: 10, clock });
    expect(b.restore(journal.entries('group-states'), clock.now())).toEqual({ restored: 1, dropped: 0 });
    expect(b.get('team', n.groupKey)).toEqual(a.get('team', n.groupKey));
    expect(
      b.restore([['k', { at: clock.now(), value: { notification: { version: '3' }, digest: false } }]], clock.now()),
    ).toEqual({ restored: 0, dropped: 1 });
  });
});

describe('dedup memory and its journal', () => {
  const options = (clock: FakeClock, journal?: RecordingJournal) => ({
    windowMs: 5 * 60_000,
    repeat: 'repost' as const,
    maxEntries: 100,
    clock,
    ...(journal ? { journal } : {}),
  });

  it('records the state queued per target and group with the window as TTL; restored, the same copy is a duplicate', () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    const a = new Deduplicator(options(clock, journal));
    const n = firing();
    a.remember('team', n);
    expect(journal.changes).toEqual([
      {
        op: 'put',
        space: 'dedup',
        key: expect.any(String),
        value: { at: clock.now(), value: expect.any(String) },
        ttlMs: 300_000,
      },
    ]);
    clock.advanceSync(60_000);
    const b = new Deduplicator(options(clock));
    expect(b.restore(journal.entries('dedup'), clock.now())).toEqual({ restored: 1, dropped: 0 });
    expect(b.isDuplicate('team', n)).toBe(true);
    expect(b.isDuplicate('other', n)).toBe(false);
    // The window counts from when the first process queued it, not from the takeover.
    clock.advanceSync(4 * 60_000 + 1);
    expect(b.isDuplicate('team', n)).toBe(false);
  });

  it('with repeat "none" records no TTL: the state stays until the group changes', () => {
    const clock = new FakeClock();
    const journal = new RecordingJournal();
    new Deduplicator({ ...options(clock, journal), repeat: 'none' }).remember('team', firing());
    expect(journal.changes).toEqual([expect.objectContaining({ op: 'put', ttlMs: undefined })]);
  });
});
