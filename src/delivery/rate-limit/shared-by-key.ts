/**
 * State that starts out per webhook and may turn out to be shared: webhooks answering with the
 * same `X-RateLimit-Bucket` hash share one budget, webhooks posting to the same channel share
 * its hidden window. Each webhook has its own state until an answer says otherwise; then its
 * state is merged into the shared one.
 */
export class SharedByKey<T> {
  readonly #byWebhook = new Map<string, T>();
  readonly #byKey = new Map<string, T>();

  constructor(
    private readonly create: () => T,
    private readonly merge: (into: T, from: T) => void,
  ) {}

  get(webhookId: string): T {
    let state = this.#byWebhook.get(webhookId);
    if (state === undefined) {
      state = this.create();
      this.#byWebhook.set(webhookId, state);
    }
    return state;
  }

  /** The state known as `key`, if an answer named it yet. */
  find(key: string): T | undefined {
    return this.#byKey.get(key);
  }

  /** The keys naming this state, first named first. */
  keysOf(state: T): string[] {
    return [...this.#byKey].filter(([, s]) => s === state).map(([k]) => k);
  }

  /** The webhooks sharing this state, first seen first. */
  webhooksOf(state: T): string[] {
    return [...this.#byWebhook].filter(([, s]) => s === state).map(([w]) => w);
  }

  /** An answer said this webhook's state is the one known as `key`. */
  join(webhookId: string, key: string): T {
    const current = this.get(webhookId);
    const shared = this.#byKey.get(key);
    if (shared === undefined) {
      this.#byKey.set(key, current);
      return current;
    }
    if (shared === current) return current;
    this.merge(shared, current);
    for (const map of [this.#byWebhook, this.#byKey]) {
      for (const [k, state] of map) if (state === current) map.set(k, shared);
    }
    return shared;
  }
}
