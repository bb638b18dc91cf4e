import { describe, expect, it } from 'vitest';
import { InMemoryMessageMemory } from '../../../src/lifecycle/message-memory.js';
import { FakeClock } from '../../support/fake-clock.js';

const post = (messageId: string, webhookId = '9') => ({
  webhookId,
  messageId,
  threadId: undefined,
  resolved: false,
  state: 's1',
});

describe('MessageMemory', () => {
  it('collects the parts of a message; a new part 0 starts a new message', () => {
    const memory = new InMemoryMessageMemory({ ttlMs: 60_000, maxEntries: 10, clock: new FakeClock() });
    memory.recordPost('team', 'g', 0, post('1'));
    memory.recordPost('team', 'g', 1, post('2'));
    expect(memory.get('team', 'g')?.messageIds).toEqual(['1', '2']);
    memory.recordPost('team', 'g', 0, post('3'));
    expect(memory.get('team', 'g')?.messageIds).toEqual(['3']);
    memory.settle('team', 'g', { resolved: true, state: 's2' });
    expect(memory.get('team', 'g')).toMatchObject({ resolved: true, state: 's2', messageIds: ['3'] });
    expect(memory.get('other', 'g')).toBeUndefined();
  });

  it('forgets after the TTL and beyond max entries (least recently used first)', () => {
    const clock = new FakeClock();
    const memory = new InMemoryMessageMemory({ ttlMs: 60_000, maxEntries: 2, clock });
    memory.recordPost('team', 'a', 0, post('1'));
    memory.recordPost('team', 'b', 0, post('2'));
    memory.get('team', 'a');
    memory.recordPost('team', 'c', 0, post('3'));
    expect(memory.get('team', 'b')).toBeUndefined();
    expect(memory.get('team', 'a')?.messageIds).toEqual(['1']);
    clock.advanceSync(60_001);
    expect(memory.get('team', 'a')).toBeUndefined();
  });
});
