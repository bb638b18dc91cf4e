/** Messages alertcord gave up on: kept in a bounded ring for inspection, counted, logged. */
export interface DeadLetter {
  at: string;
  target: string;
  webhookId: string | undefined;
  reason: DeadLetterReason;
  detail: string;
  groupKey: string;
  alerts: { fingerprint: string; status: string; alertname: string | undefined }[];
}

export type DeadLetterReason =
  'rejected' | 'webhook_gone' | 'attempts_exhausted' | 'too_old' | 'shutdown' | 'render_failed';

export class DeadLetterRing {
  readonly #items: DeadLetter[] = [];
  constructor(private readonly capacity: number) {}

  add(letter: DeadLetter): void {
    this.#items.push(letter);
    if (this.#items.length > this.capacity) this.#items.shift();
  }

  list(): readonly DeadLetter[] {
    return this.#items;
  }
}
