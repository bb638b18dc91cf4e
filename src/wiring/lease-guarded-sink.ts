import type { MessageSink } from '../discord/client.js';
import type { SendResult } from '../discord/send-result.js';

/** What a request answers when this process may not send: retried later, never reaching Discord. */
const NOT_DISPATCHER: SendResult = {
  kind: 'retryable',
  status: undefined,
  reason: 'not the dispatcher: the lease is not held',
  retryAfterMs: 1_000,
  rateLimit: {},
};

/**
 * Asks before every request to Discord whether this process still holds the dispatcher lease,
 * so a dispatcher paused past its lease (GC, a frozen VM) sends nothing once it wakes up.
 */
export function leaseGuardedSink(sink: MessageSink, holds: () => boolean): MessageSink {
  return {
    execute: (webhook, message, options) =>
      holds() ? sink.execute(webhook, message, options) : Promise.resolve(NOT_DISPATCHER),
    edit: (webhook, messageId, message, options) =>
      holds() ? sink.edit(webhook, messageId, message, options) : Promise.resolve(NOT_DISPATCHER),
    delete: (webhook, messageId, options) =>
      holds() ? sink.delete(webhook, messageId, options) : Promise.resolve(NOT_DISPATCHER),
    close: () => sink.close(),
  };
}
