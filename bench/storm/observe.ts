import { hiddenEmbeds, visibleText, type Emulator, type StoredMessage } from '../../test/emulator/index.js';

/**
 * When each alert id first appeared in a message Discord accepted, and what each message held,
 * as the client shows it: an embed that repeats a url in its message is not seen.
 */
export class Visibility {
  readonly firstSeen = new Map<string, number>();
  readonly messages: { at: number; ids: string[] }[] = [];
  /** Embeds Discord stored that the client does not show. */
  hidden = 0;
  #scanned = 0;

  constructor(private readonly emulator: Emulator) {}

  scan(): void {
    const all: StoredMessage[] = this.emulator.messages;
    for (; this.#scanned < all.length; this.#scanned++) {
      const m = all[this.#scanned]!;
      const ids = [...new Set(visibleText(m).match(/A\d{6}/g) ?? [])];
      this.hidden += hiddenEmbeds(m);
      this.messages.push({ at: m.createdAt, ids });
      for (const id of ids) if (!this.firstSeen.has(id)) this.firstSeen.set(id, m.createdAt);
    }
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
