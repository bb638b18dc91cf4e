import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../shared/clock.js';

/** Where a group's message lives in Discord: every part, the webhook that posted it, its thread. */
export interface PostedMessage {
  webhookId: string;
  /** One id per part, in order. */
  messageIds: string[];
  threadId: string | undefined;
  /** The message shows the group resolved: a new firing is a new incident, posted anew. */
  resolved: boolean;
  /** The group's state it shows (see notificationState): the same state again is a repeat. */
  state: string;
}

export interface MessageMemoryOptions {
  ttlMs: number;
  maxEntries: number;
  clock: Clock;
}

const key = (target: string, groupKey: string): string =>
  createHash('sha1')
    .update(JSON.stringify([target, groupKey]))
    .digest('base64');

/**
 * Remembers, per (target, group), the Discord message that shows the group, so a later
 * notification edits it instead of posting anew. Bounded and forgetful by design: an entry
 * lost to eviction, expiry or a restart only means the next update is a new message.
 */
export class MessageMemory {
  readonly #posted: LRUCache<string, PostedMessage>;

  constructor(o: MessageMemoryOptions) {
    this.#posted = new LRUCache<string, PostedMessage>({
      max: o.maxEntries,
      ttl: o.ttlMs,
      perf: { now: () => o.clock.now() },
      ttlResolution: 0,
    });
  }

  get(target: string, groupKey: string): PostedMessage | undefined {
    return this.#posted.get(key(target, groupKey));
  }

  /** Part `index` of the group's message was posted as `messageId`. */
  recordPost(
    target: string,
    groupKey: string,
    index: number,
    post: { webhookId: string; messageId: string; threadId: string | undefined; resolved: boolean; state: string },
  ): void {
    const k = key(target, groupKey);
    const known = this.#posted.get(k);
    // Part 0 posted anew starts a new message: the old one's parts no longer belong to it.
    const messageIds = index === 0 || !known || known.webhookId !== post.webhookId ? [] : [...known.messageIds];
    messageIds[index] = post.messageId;
    const { messageId: _id, ...rest } = post;
    this.#posted.set(k, { ...rest, messageIds });
  }

  /** Every part now shows this state of the group. */
  settle(target: string, groupKey: string, shown: { resolved: boolean; state: string }): void {
    const k = key(target, groupKey);
    const known = this.#posted.get(k);
    if (known) this.#posted.set(k, { ...known, ...shown });
  }

  forget(target: string, groupKey: string): void {
    this.#posted.delete(key(target, groupKey));
  }
}
