import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/shared/logger.js';
import { EntryAcks } from '../../../src/wiring/entry-acks.js';

/** A delivery whose jobs are settled by hand: ids issued in order, some still waiting. */
function jobs() {
  const waiting = new Set<number>();
  let last = 0;
  return {
    lastJobId: 0,
    issue(): number {
      this.lastJobId = ++last;
      waiting.add(last);
      return last;
    },
    settle: (id: number) => waiting.delete(id),
    oldestUnsettledJobId: () => (waiting.size === 0 ? undefined : Math.min(...waiting)),
  };
}

describe('EntryAcks', () => {
  const log = createLogger('silent');

  it('acks an entry only once every job issued by its dispatch is settled, after a flush', async () => {
    const delivery = jobs();
    const acked: string[] = [];
    const order: string[] = [];
    const acks = new EntryAcks({
      jobs: delivery,
      flush: async () => void order.push('flush'),
      ack: async (id) => void (acked.push(id), order.push(`ack ${id}`)),
      log,
    });
    const first = delivery.issue();
    acks.dispatched('1-0');
    const second = delivery.issue();
    acks.dispatched('2-0');

    expect(await acks.settle()).toBe(0);
    delivery.settle(second);
    // The later entry's job is done, but the earlier one's is not: nothing is acked out of order.
    expect(await acks.settle()).toBe(0);
    delivery.settle(first);
    expect(await acks.settle()).toBe(2);
    expect(acked).toEqual(['1-0', '2-0']);
    expect(order[0]).toBe('flush');
    expect(acks.waiting).toBe(0);
  });

  it('keeps the entries when the ack fails, and acks them on the next pass', async () => {
    const delivery = jobs();
    let fail = true;
    const acked: string[] = [];
    const acks = new EntryAcks({
      jobs: delivery,
      flush: async () => {},
      ack: async (id) => {
        if (fail) throw new Error('redis down');
        acked.push(id);
      },
      log,
    });
    acks.dispatched('1-0'); // queued nothing
    expect(await acks.settle()).toBe(0);
    expect(acks.waiting).toBe(1);
    fail = false;
    expect(await acks.settle()).toBe(1);
    expect(acked).toEqual(['1-0']);
  });
});
