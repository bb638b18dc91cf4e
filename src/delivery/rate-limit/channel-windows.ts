import { z } from 'zod';
import { noJournal, type StateJournal } from '../../state/journal.js';
import type { JournalEntries, Restorable, RestoreCount } from '../../state/restorable.js';
import { ChannelWindow, type ChannelPolicy, type ChannelWindowSnapshot } from './channel-window.js';
import { SharedByKey } from './shared-by-key.js';

const SPACE = 'channel-windows';
// Journal keys: a channel by its id once an answer named it; until then a webhook is its own channel.
const CHANNEL = 'channel:';
const WEBHOOK = 'webhook:';

/** One channel as journaled: the webhooks that share it and what its window holds. */
type JournaledWindow = ChannelWindowSnapshot & { webhooks: string[] };

const epochMs = z.number().int().nonnegative();
// JSON has no undefined: a window without a learned ceiling comes back without the key.
const journaledWindowSchema: z.ZodType<JournaledWindow> = z
  .object({
    webhooks: z.array(z.string().min(1)).min(1),
    sent: z.array(epochMs),
    blockedUntil: epochMs,
    learned: z.object({ limit: z.number().int().positive(), until: epochMs }).optional(),
  })
  .transform((w) => ({ ...w, learned: w.learned }));

/**
 * Every webhook's channel window, shared by the webhooks of one channel once Discord's answers
 * name it. What the windows learn is journaled (space `channel-windows`, one small value per
 * channel, kept as long as it matters), so a dispatcher taking over neither believes a busy
 * channel idle nor forgets a ceiling a 429 taught, and does not pay for them with another 429.
 */
export class ChannelWindows implements Restorable {
  readonly #windows: SharedByKey<ChannelWindow>;
  readonly #channelOf = new Map<string, string>();

  constructor(
    private readonly policy: ChannelPolicy,
    private readonly journal: StateJournal = noJournal,
  ) {
    this.#windows = new SharedByKey(
      () => new ChannelWindow(policy),
      (into, from) => into.absorb(from),
    );
  }

  of(webhookId: string): ChannelWindow {
    return this.#windows.get(webhookId);
  }

  /** The channel's id, once an answer named it. */
  channelOf(webhookId: string): string | undefined {
    return this.#channelOf.get(webhookId);
  }

  /**
   * An answer named the webhook's channel: from now on it shares that channel's window. True
   * when that changed which window it counts in; the journal entries merged away are removed.
   */
  join(webhookId: string, channelId: string): boolean {
    this.#channelOf.set(webhookId, channelId);
    const key = CHANNEL + channelId;
    const own = this.of(webhookId);
    const shared = this.#windows.find(key);
    if (shared === own) return false;
    const before = [this.#keyOf(own), ...(shared ? [this.#keyOf(shared)] : [])];
    const after = this.#keyOf(this.#windows.join(webhookId, key));
    for (const k of before) if (k !== after) this.journal.remove(SPACE, k);
    return true;
  }

  /** The webhook's window changed (a message it took, a 429 lesson, a join): journal it. */
  record(webhookId: string, now: number): void {
    // Without a journal, the snapshot would be built for nothing on every request.
    if (this.journal === noJournal) return;
    const window = this.of(webhookId);
    const key = this.#keyOf(window);
    const ttlMs = window.relevantUntil(now) - now;
    if (ttlMs <= 0) return this.journal.remove(SPACE, key);
    const value: JournaledWindow = { webhooks: this.#windows.webhooksOf(window), ...window.snapshot(now) };
    this.journal.put(SPACE, key, value, ttlMs);
  }

  /** Rebuilds the windows, each shared again by its webhooks; invalid entries and expired ones are dropped. */
  restore(entries: JournalEntries, now: number): RestoreCount {
    let restored = 0;
    let dropped = 0;
    for (const [key, raw] of entries) {
      const parsed = journaledWindowSchema.safeParse(raw);
      const entry = parsed.success ? parsed.data : undefined;
      const channelId = key.startsWith(CHANNEL) ? key.slice(CHANNEL.length) : undefined;
      const valid = channelId
        ? channelId.length > 0
        : entry?.webhooks.length === 1 && key === WEBHOOK + entry.webhooks[0];
      // Built apart first, so that an entry with nothing left that matters leaves nothing behind.
      const window = new ChannelWindow(this.policy);
      if (!entry || !valid || !window.restore(entry, now)) {
        dropped += 1;
        continue;
      }
      if (channelId) {
        for (const webhookId of entry.webhooks) {
          this.#windows.join(webhookId, key);
          this.#channelOf.set(webhookId, channelId);
        }
      }
      this.of(entry.webhooks[0]!).absorb(window);
      restored += 1;
    }
    return { restored, dropped };
  }

  /** A window is journaled under the first channel key that named it, else under its one webhook. */
  #keyOf(window: ChannelWindow): string {
    return this.#windows.keysOf(window)[0] ?? WEBHOOK + this.#windows.webhooksOf(window)[0];
  }
}
