import { createHash } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { JournaledCache } from '../state/journaled-cache.js';
import { noJournal, type StateJournal } from '../state/journal.js';
import type { JournalEntries, Restorable, RestoreCount } from '../state/restorable.js';
import { postedMessageSchema, sharedViewSchema, type PostedMessage, type SharedView } from './memory-schemas.js';

export type { PostedMessage, SharedView };

export interface PostRecord {
  webhookId: string;
  messageId: string;
  threadId: string | undefined;
  resolved: boolean;
  state: string;
}

/**
 * Remembers, per (target, group), the Discord message that shows the group, and per shared
 * message the groups it shows, so a later notification edits them instead of posting anew.
 * Bounded and forgetful by design: an entry lost to eviction, expiry or a restart only means
 * the next update is a new message. Kept in memory; a journal records it for a process that
 * takes over.
 */
export interface MessageMemory extends Restorable {
  get(target: string, groupKey: string): PostedMessage | undefined;
  /** Part `index` of the group's message was posted as `messageId`. */
  recordPost(target: string, groupKey: string, index: number, post: PostRecord): void;
  /** Every part now shows this state of the group; `parts` is how many it has now. */
  settle(target: string, groupKey: string, shown: { resolved: boolean; state: string }, parts?: number): void;
  forget(target: string, groupKey: string): void;
  /** The group's part shown in message `from` now lives in message `to` (its state unchanged). */
  moved(target: string, groupKey: string, from: string, to: string): void;
  view(target: string, messageId: string): SharedView | undefined;
  /** Also keeps each group of the view remembered as long as the view: it still shows them. */
  recordView(target: string, view: SharedView): void;
  forgetView(target: string, messageId: string): void;
}

export interface MessageMemoryOptions {
  ttlMs: number;
  maxEntries: number;
  clock: Clock;
  /** Where the changes are recorded (spaces `messages`, `group-states`), with `ttlMs` as their TTL. */
  journal?: StateJournal;
}

export const memoryKey = (target: string, id: string): string =>
  createHash('sha1')
    .update(JSON.stringify([target, id]))
    .digest('base64');

/** The bounds of the message memory, for a cache of one kind of entry in the journal's space. */
export const memoryCacheOptions = (o: MessageMemoryOptions) => ({
  journal: o.journal ?? noJournal,
  maxEntries: o.maxEntries,
  ttlMs: o.ttlMs,
  clock: o.clock,
});

export class InMemoryMessageMemory implements MessageMemory {
  readonly #posted: JournaledCache<PostedMessage>;
  readonly #views: JournaledCache<SharedView>;

  constructor(o: MessageMemoryOptions) {
    const bounds = memoryCacheOptions(o);
    this.#posted = new JournaledCache({ ...bounds, space: 'messages', prefix: 'post:', schema: postedMessageSchema });
    this.#views = new JournaledCache({ ...bounds, space: 'messages', prefix: 'view:', schema: sharedViewSchema });
  }

  restore(entries: JournalEntries, now: number): RestoreCount {
    const posted = this.#posted.restore(entries, now);
    const views = this.#views.restore(entries, now);
    return { restored: posted.restored + views.restored, dropped: posted.dropped + views.dropped };
  }

  get(target: string, groupKey: string): PostedMessage | undefined {
    return this.#posted.get(memoryKey(target, groupKey));
  }

  recordPost(target: string, groupKey: string, index: number, post: PostRecord): void {
    const k = memoryKey(target, groupKey);
    const known = this.#posted.get(k);
    // Part 0 posted anew starts a new message: the old one's parts no longer belong to it.
    const messageIds = index === 0 || !known || known.webhookId !== post.webhookId ? [] : [...known.messageIds];
    messageIds[index] = post.messageId;
    const { messageId: _id, ...rest } = post;
    this.#posted.set(k, { ...rest, messageIds });
  }

  settle(target: string, groupKey: string, shown: { resolved: boolean; state: string }, parts?: number): void {
    const k = memoryKey(target, groupKey);
    const known = this.#posted.get(k);
    if (!known) return;
    // Parts beyond the new render were deleted (or left a shared view): they are not the group's now.
    const messageIds = parts === undefined ? known.messageIds : known.messageIds.slice(0, parts);
    this.#posted.set(k, { ...known, ...shown, messageIds });
  }

  forget(target: string, groupKey: string): void {
    this.#posted.delete(memoryKey(target, groupKey));
  }

  moved(target: string, groupKey: string, from: string, to: string): void {
    const k = memoryKey(target, groupKey);
    const known = this.#posted.get(k);
    if (!known?.messageIds.includes(from)) return;
    this.#posted.set(k, { ...known, messageIds: known.messageIds.map((id) => (id === from ? to : id)) });
  }

  view(target: string, messageId: string): SharedView | undefined {
    return this.#views.get(memoryKey(target, messageId));
  }

  recordView(target: string, view: SharedView): void {
    this.#views.set(memoryKey(target, view.messageId), view);
    for (const g of view.groupKeys) {
      const k = memoryKey(target, g);
      const known = this.#posted.get(k);
      if (known) this.#posted.set(k, known);
    }
  }

  forgetView(target: string, messageId: string): void {
    this.#views.delete(memoryKey(target, messageId));
  }
}
