import type { Priority } from '../shared/severity.js';

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

export type DeadLetterReason =
  'rejected' | 'webhook_gone' | 'attempts_exhausted' | 'too_old' | 'shutdown' | 'render_failed' | 'internal_error';

export class DeadLetterRing {
  readonly #items: DeadLetter[] = [];
  #total = 0;

  constructor(readonly capacity: number) {}

  add(letter: DeadLetter): void {
    this.#total += 1;
    this.#items.push(letter);
    if (this.#items.length > this.capacity) this.#items.shift();
  }

  /** Oldest first. */
  list(): readonly DeadLetter[] {
    return this.#items;
  }

  /** Every dead letter since start, including those the ring no longer holds. */
  get total(): number {
    return this.#total;
  }
}
