import { describe, expect, it } from 'vitest';
import type { MessageSink } from '../../../src/discord/client.js';
import type { DiscordMessage } from '../../../src/discord/message.js';
import type { SendResult } from '../../../src/discord/send-result.js';
import { FakeClock, flush } from '../../support/fake-clock.js';
import { fakeWebhook, notification, testDelivery, webhookTarget } from '../../support/delivery.js';

const ok: SendResult = { kind: 'ok', status: 200, messageId: '1', channelId: '2', rateLimit: {} };

describe('a huge group renders a page per send', () => {
  it('renders each page only when its send comes, and sends every part in order', async () => {
    const clock = new FakeClock();
    const sent: string[] = [];
    // Pages rendered by the time each message went out.
    const renderedWhenSent: number[] = [];
    const rendered: number[] = [];
    const sink: MessageSink = {
      execute: async (_w, m: DiscordMessage) => {
        sent.push(m.content ?? '');
        renderedWhenSent.push(rendered.length);
        return ok;
      },
      edit: async () => ok,
      delete: async () => ok,
      close: async () => {},
    };
    const PAGES = 5;
    const { delivery } = testDelivery(clock, sink, {
      pages: () => PAGES,
      render: (_job, _digest, page) => {
        rendered.push(page ?? -1);
        // The third page renders nothing (every alert of it filtered out): the parts go on.
        if (page === 2) return [];
        return [0, 1].map((i) => ({ content: `page ${page} part ${i}`, allowed_mentions: { parse: [] } }));
      },
    });
    delivery.enqueue(notification('huge', 'critical', 5000), [webhookTarget('t', [fakeWebhook()])]);
    await flush();
    for (let i = 0; i < 20 && delivery.queued > 0; i++) await clock.advance(1000);
    expect(delivery.queued).toBe(0);
    expect(rendered).toEqual([0, 1, 2, 3, 4]);
    expect(sent).toEqual([0, 1, 3, 4].flatMap((p) => [`page ${p} part 0`, `page ${p} part 1`]));
    // A page is rendered when the part before it goes (to know that part is not the last), never earlier.
    expect(renderedWhenSent).toEqual([1, 2, 2, 4, 4, 5, 5, 5]);
  });
});
