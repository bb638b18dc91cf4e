import type { Clock } from './clock.js';

/** Long waits are cut into pieces: the owner re-checks what is due, so a suspended host or a
 * jumped clock costs at most one piece. */
const MAX_SLEEP_MS = 60 * 60_000;

/**
 * One wake-up on the clock, at the earliest time asked for: what held alerts, escalation
 * timers and the delivery scheduler wait on. `ring` runs when the time comes; it schedules the next wake-up itself.
 */
export class Alarm {
  #at: number | undefined;
  #abort: AbortController | undefined;
  #stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly ring: () => void,
  ) {}

  /** Wake at `at`, unless a wake-up at or before it is already set. */
  set(at: number): void {
    if (this.#stopped || (this.#at !== undefined && this.#at <= at)) return;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#at = at;
    const wait = Math.min(Math.max(0, at - this.clock.now()), MAX_SLEEP_MS);
    void this.clock.sleep(wait, abort.signal).then(() => {
      if (abort.signal.aborted) return;
      this.#at = undefined;
      this.#abort = undefined;
      this.ring();
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#abort?.abort();
  }
}
