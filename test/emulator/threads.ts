/**
 * Threads (forum posts) and their auto-archiving. A thread archives once its
 * auto_archive_duration has passed without a new message in it; an archived thread keeps its
 * messages readable but refuses edits and deletes (400 50083) until a new message posted into
 * it (execute with ?thread_id=) unarchives it. Edits are not activity: they never keep a
 * thread open. A post's tags (applied_tags) are set when it is created; Discord ignores them on
 * a message into an existing thread, and a webhook's edit cannot carry them.
 */

/** The durations Discord offers, in minutes. */
export const AUTO_ARCHIVE_MINUTES = [60, 1440, 4320, 10080] as const;
export type AutoArchiveMinutes = (typeof AUTO_ARCHIVE_MINUTES)[number];

export interface ThreadInfo {
  id: string;
  channelId: string;
  autoArchiveMinutes: AutoArchiveMinutes;
  /** When the last message was posted into it. */
  lastActivityAt: number;
  archived: boolean;
  /** The applied_tags of the message that created the post. */
  appliedTags: string[];
}

interface Thread {
  id: string;
  channelId: string;
  autoArchiveMinutes: AutoArchiveMinutes;
  lastActivityAt: number;
  appliedTags: string[];
  /** Archived by hand (archiveThread), ahead of its duration. */
  archivedByHand: boolean;
}

export class Threads {
  readonly #threads = new Map<string, Thread>();

  /**
   * A message was posted into the thread (or opened it): activity, and it is open again. `tags`
   * count only for the message that opens it.
   */
  posted(
    id: string,
    channelId: string,
    autoArchiveMinutes: AutoArchiveMinutes,
    now: number,
    tags: string[] = [],
  ): void {
    const known = this.#threads.get(id);
    if (known) {
      known.lastActivityAt = now;
      known.archivedByHand = false;
      return;
    }
    this.#threads.set(id, {
      id,
      channelId,
      autoArchiveMinutes,
      lastActivityAt: now,
      appliedTags: [...tags],
      archivedByHand: false,
    });
  }

  /** false for a thread the emulator never saw a message in. */
  archive(id: string): boolean {
    const t = this.#threads.get(id);
    if (t) t.archivedByHand = true;
    return t !== undefined;
  }

  isArchived(id: string, now: number): boolean {
    const t = this.#threads.get(id);
    return t !== undefined && archived(t, now);
  }

  info(id: string, now: number): ThreadInfo | undefined {
    const t = this.#threads.get(id);
    if (!t) return undefined;
    const { archivedByHand: _hand, ...rest } = t;
    return { ...rest, appliedTags: [...rest.appliedTags], archived: archived(t, now) };
  }

  clear(): void {
    this.#threads.clear();
  }
}

const archived = (t: Thread, now: number): boolean =>
  t.archivedByHand || now - t.lastActivityAt >= t.autoArchiveMinutes * 60_000;
