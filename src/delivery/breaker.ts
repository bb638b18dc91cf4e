export const BREAKER_STATES = ['closed', 'half_open', 'open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

export interface BreakerPolicy {
  /** Consecutive failures (5xx, network errors) that open the breaker. */
  threshold: number;
  /** How long an open breaker waits before letting one probe through. */
  cooldownMs: number;
}

type TransitionListener = (from: BreakerState, to: BreakerState, failures: number) => void;

/**
 * A circuit breaker for one webhook: closed → open after `threshold` consecutive failures →
 * half-open after the cool-down (one probe request) → closed when the probe succeeds, open
 * again when it fails. While open, messages wait instead of hammering a failing Discord.
 */
export class Breaker {
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;

  constructor(
    private readonly policy: BreakerPolicy,
    private readonly onTransition: TransitionListener = () => {},
  ) {}

  state(now: number): BreakerState {
    if (this.#state === 'open' && now >= this.#openedAt + this.policy.cooldownMs) this.#to('half_open');
    return this.#state;
  }

  /** Milliseconds until a request may go: 0 now, Infinity while the probe is out. */
  waitMs(now: number): number {
    switch (this.state(now)) {
      case 'closed':
        return 0;
      case 'half_open':
        return this.#probing ? Infinity : 0;
      case 'open':
        return this.#openedAt + this.policy.cooldownMs - now;
    }
  }

  /** A request leaves; returns true when it is the half-open probe. */
  onSend(now: number): boolean {
    if (this.state(now) !== 'half_open') return false;
    this.#probing = true;
    return true;
  }

  success(): void {
    this.#failures = 0;
    this.#probing = false;
    if (this.#state !== 'closed') this.#to('closed');
  }

  failure(now: number): void {
    this.#failures += 1;
    const probeFailed = this.#probing;
    this.#probing = false;
    if (probeFailed || (this.#state === 'closed' && this.#failures >= this.policy.threshold)) {
      this.#openedAt = now;
      if (this.#state !== 'open') this.#to('open');
    }
  }

  /** An answer that says nothing about the webhook's health (a 429): the probe may go again. */
  neutral(): void {
    this.#probing = false;
  }

  #to(next: BreakerState): void {
    const from = this.#state;
    this.#state = next;
    this.onTransition(from, next, this.#failures);
  }
}
