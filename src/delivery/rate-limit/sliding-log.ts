/** One request counted in a log; its time moves to the response once Discord has answered. */
export interface LogEntry {
  at: number;
}

/**
 * The times of our own requests within a window: at most `limit` in any `windowMs`. A request
 * is logged when it leaves and re-timed when its answer arrives, so our idea of when it
 * expires is never earlier than Discord's (Discord counted it somewhere in between).
 */
export class SlidingLog {
  /** Sorted by time, oldest first. */
  #entries: LogEntry[] = [];

  constructor(public windowMs: number) {}

  record(at: number): LogEntry {
    const entry = { at };
    this.#insert(entry);
    return entry;
  }

  /** Re-times an entry (to the moment its answer arrived). */
  move(entry: LogEntry, at: number): void {
    if (!this.remove(entry)) return;
    entry.at = Math.max(entry.at, at);
    this.#insert(entry);
  }

  /** Forgets a request Discord did not count (it refused it with a 429). */
  remove(entry: LogEntry): boolean {
    const i = this.#entries.indexOf(entry);
    if (i < 0) return false;
    this.#entries.splice(i, 1);
    return true;
  }

  /** Takes over another log's entries (two webhooks found to share one budget). */
  absorb(other: SlidingLog): void {
    for (const e of other.#entries) this.#insert(e);
    other.#entries = [];
  }

  /** The times of the requests still within the window, oldest first. */
  times(now: number): number[] {
    this.#prune(now);
    return this.#entries.map((e) => e.at);
  }

  /** Requests within the last `spanMs` (at most the window; default: the window). */
  count(now: number, spanMs = this.windowMs): number {
    this.#prune(now);
    const since = now - spanMs;
    let n = 0;
    for (let i = this.#entries.length - 1; i >= 0 && this.#entries[i]!.at > since; i--) n++;
    return n;
  }

  /**
   * Milliseconds until one more request fits: fewer than `limit` requests within the last
   * `spanMs` (at most the window). 0 when it fits now; Infinity when `limit` is 0.
   */
  waitMs(limit: number, now: number, spanMs = this.windowMs): number {
    if (limit <= 0) return Infinity;
    this.#prune(now);
    const inSpan = this.#entries.filter((e) => e.at > now - spanMs);
    if (inSpan.length < limit) return 0;
    // The request that must leave the span before one more fits.
    const blocking = inSpan[inSpan.length - limit]!;
    return blocking.at + spanMs - now;
  }

  #insert(entry: LogEntry): void {
    let i = this.#entries.length;
    while (i > 0 && this.#entries[i - 1]!.at > entry.at) i--;
    this.#entries.splice(i, 0, entry);
  }

  #prune(now: number): void {
    const since = now - this.windowMs;
    let drop = 0;
    while (drop < this.#entries.length && this.#entries[drop]!.at <= since) drop++;
    if (drop > 0) this.#entries.splice(0, drop);
  }
}
