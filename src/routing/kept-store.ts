import type { Clock } from '../shared/clock.js';
import { noJournal, type StateJournal, type StateSpace } from '../state/journal.js';
import { Alarm } from '../shared/alarm.js';
import type { KeptAlert, Usage } from './kept-alert.js';

/** What a store of kept alerts is built with. */
export interface KeptStoreDeps {
  clock: Clock;
  onChange?: (usage: Usage) => void;
  /** Where the entries are recorded; none by default. */
  journal?: StateJournal;
}

/** Where in the journal a store's entries go. */
export interface KeptSpace {
  space: StateSpace;
  /** Keeps these entries' keys apart from others the store records in the same space. */
  prefix: string;
}

/**
 * Alerts kept for a later post under a key, with what they cost the delivery queue's budget
 * and one alarm for the earliest due time: the common part of held alerts and escalation
 * timers. Every change is recorded in the journal (no TTL: an entry lives until it is sent or
 * cancelled); the store says when a batch of changes is done (`changed`).
 */
export abstract class KeptAlertStore<V extends KeptAlert> {
  protected readonly journal: StateJournal;
  readonly #entries = new Map<string, V>();
  readonly #alarm: Alarm;
  #bytes = 0;

  constructor(
    private readonly keptDeps: KeptStoreDeps,
    private readonly where: KeptSpace,
  ) {
    this.journal = keptDeps.journal ?? noJournal;
    this.#alarm = new Alarm(keptDeps.clock, () => this.ring());
  }

  get usage(): Usage {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  /** Sends what is due and sets the alarm again. */
  protected abstract ring(): void;

  protected kept(key: string): V | undefined {
    return this.#entries.get(key);
  }

  protected keptEntries(): IterableIterator<[string, V]> {
    return this.#entries.entries();
  }

  protected keep(key: string, value: V): void {
    this.#forget(key);
    this.#entries.set(key, value);
    this.#bytes += value.bytes;
    this.journal.put(this.where.space, this.where.prefix + key, value);
  }

  /** True when there was an entry. */
  protected drop(key: string): boolean {
    if (!this.#forget(key)) return false;
    this.journal.remove(this.where.space, this.where.prefix + key);
    return true;
  }

  /** Takes back an entry read from the journal: kept, not recorded again. */
  protected keepRestored(key: string, value: V): void {
    this.#forget(key);
    this.#entries.set(key, value);
    this.#bytes += value.bytes;
  }

  protected changed(): void {
    this.keptDeps.onChange?.(this.usage);
  }

  protected wakeAt(at: number): void {
    this.#alarm.set(at);
  }

  /** Sets the alarm for the earliest entry due; one already overdue rings at once. */
  protected wakeAtEarliest(dueAt: (v: V) => number | undefined): void {
    let next = Infinity;
    for (const v of this.#entries.values()) next = Math.min(next, dueAt(v) ?? Infinity);
    if (Number.isFinite(next)) this.#alarm.set(next);
  }

  protected stopAlarm(): void {
    this.#alarm.stop();
  }

  #forget(key: string): boolean {
    const v = this.#entries.get(key);
    if (!v) return false;
    this.#entries.delete(key);
    this.#bytes -= v.bytes;
    return true;
  }
}
