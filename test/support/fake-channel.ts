import type { MessageSink } from '../../src/discord/client.js';
import type { DiscordMessage } from '../../src/discord/message.js';
import type { SendResult } from '../../src/discord/send-result.js';

/** The colour a test render gives a resolved group; any other colour shows it firing. */
export const RESOLVED = 0x2ecc71;

/** Discord's answer to a request that created or changed message `id`. */
export const okAnswer = (id: string | undefined): SendResult => ({
  kind: 'ok',
  status: 200,
  messageId: id,
  channelId: '7',
  rateLimit: {},
});

export interface ChannelMessage {
  id: string;
  threadId: string | undefined;
  body: DiscordMessage;
  deleted: boolean;
}

/**
 * A channel that keeps what was posted, edited and deleted, as a MessageSink with no limits:
 * for unit tests of what the channel shows. An edit or delete of a message it does not know
 * (or that was deleted) is Discord's 404 10008.
 */
export function fakeChannel() {
  const messages: ChannelMessage[] = [];
  const requests: string[] = [];
  const unknown: SendResult = { kind: 'unknownMessage', status: 404, rateLimit: {} };
  const find = (id: string) => messages.find((m) => m.id === id && !m.deleted);
  const sink: MessageSink = {
    execute: async (_w, body, o) => {
      const id = String(messages.length + 1);
      messages.push({ id, threadId: o?.threadId, body, deleted: false });
      requests.push(`post ${id}`);
      return okAnswer(id);
    },
    edit: async (_w, id, body) => {
      requests.push(`edit ${id}`);
      const m = find(id);
      if (!m) return unknown;
      m.body = body;
      return okAnswer(id);
    },
    delete: async (_w, id) => {
      requests.push(`delete ${id}`);
      const m = find(id);
      if (!m) return unknown;
      m.deleted = true;
      return okAnswer(undefined);
    },
    close: async () => {},
  };
  const live = () => messages.filter((m) => !m.deleted);
  const titles = (pick: (color: number | undefined) => boolean) =>
    live().flatMap((m) => (m.body.embeds ?? []).filter((e) => pick(e.color)).map((e) => e.title ?? ''));
  return {
    sink,
    requests,
    messages,
    live,
    /** Embed titles of live messages shown firing (any colour but the resolved one). */
    firing: () => titles((c) => c !== RESOLVED).sort(),
    /** Embed titles of every live message. */
    shown: () => titles(() => true).sort(),
    /** Someone deletes the message in Discord. */
    deleteByHand: (id: string) => {
      const m = find(id);
      if (!m) throw new Error(`fake channel: no live message ${id}`);
      m.deleted = true;
    },
  };
}
