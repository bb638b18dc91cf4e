import { z } from 'zod';
import { PRIORITIES, type Priority } from '../shared/severity.js';
import { noJournal, type StateJournal } from '../state/journal.js';
import type { JournalEntries, Restorable, RestoreCount } from '../state/restorable.js';

export type AlertIdentity = { fingerprint: string; status: string; alertname: string | undefined };

/** A message alertcord gave up on: kept in a bounded ring for inspection, counted, logged. */
export interface DeadLetter {
  at: string;
  target: string;
  /** The numeric id of the webhook involved, when one was; never the token. */
  webhookId: string | undefined;
  reason: DeadLetterReason;
  detail: string;
  priority: Priority;
  groupKey: string;
  alerts: AlertIdentity[];
}

export const DEAD_LETTER_REASONS = [
  'rejected',
  'webhook_gone',
  'attempts_exhausted',
  'too_old',
  'shutdown',
  'render_failed',
  'internal_error',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

/** The dead letters the scheduler records and the API lists. */
export interface DeadLetters extends Restorable {
  readonly capacity: number;
  add(letter: DeadLetter): void;
  /** Oldest first. */
  list(): readonly DeadLetter[];
  /** Every dead letter since start, including those the ring no longer holds. */
  readonly total: number;
}

// JSON has no undefined: a letter without a webhook or an alertname comes back without the key.
const deadLetterSchema: z.ZodType<DeadLetter> = z
  .object({
    at: z.string(),
    target: z.string(),
    webhookId: z.string().optional(),
    reason: z.enum(DEAD_LETTER_REASONS),
    detail: z.string(),
    priority: z.enum(PRIORITIES),
    groupKey: z.string(),
    alerts: z.array(
      z
        .object({ fingerprint: z.string(), status: z.string(), alertname: z.string().optional() })
        .transform((a) => ({ ...a, alertname: a.alertname })),
    ),
  })
  .transform((l) => ({ ...l, webhookId: l.webhookId }));

// Journal keys: each letter under its sequence number, and the running total.
const LETTER = 'letter:';
const TOTAL = 'total';

export class DeadLetterRing implements DeadLetters {
  readonly #items: { seq: number; letter: DeadLetter }[] = [];
  #total = 0;
  #seq = 0;

  constructor(
    readonly capacity: number,
    private readonly journal: StateJournal = noJournal,
  ) {}

  add(letter: DeadLetter): void {
    this.#total += 1;
    this.#seq += 1;
    this.#items.push({ seq: this.#seq, letter });
    this.journal.put('dead-letters', LETTER + this.#seq, letter);
    this.journal.put('dead-letters', TOTAL, this.#total);
    if (this.#items.length > this.capacity) {
      const oldest = this.#items.shift();
      if (oldest) this.journal.remove('dead-letters', LETTER + oldest.seq);
    }
  }

  list(): readonly DeadLetter[] {
    return this.#items.map((i) => i.letter);
  }

  get total(): number {
    return this.#total;
  }

  /** Takes back the newest letters that fit, in order, and the total; numbering goes on after them. */
  restore(entries: JournalEntries): RestoreCount {
    const letters: { seq: number; letter: DeadLetter }[] = [];
    let dropped = 0;
    let total = 0;
    for (const [key, raw] of entries) {
      const seq = key.startsWith(LETTER) ? Number(key.slice(LETTER.length)) : NaN;
      const letter = Number.isSafeInteger(seq) ? deadLetterSchema.safeParse(raw) : undefined;
      if (letter?.success) letters.push({ seq, letter: letter.data });
      else if (key === TOTAL && Number.isSafeInteger(raw)) total = raw as number;
      else dropped += 1;
    }
    letters.sort((a, b) => a.seq - b.seq);
    this.#items.splice(0, this.#items.length, ...letters.slice(-this.capacity));
    this.#seq = letters.at(-1)?.seq ?? 0;
    this.#total = Math.max(total, letters.length);
    return { restored: this.#items.length, dropped };
  }
}
