import { noJournal, type StateJournal, type StateSpace } from './journal.js';

/**
 * The journal the stores hold for the whole process, forwarding to the journal of the current
 * dispatcher tenure: nothing while standing by, the tenure's fenced journal while dispatching.
 */
export class SwitchableJournal implements StateJournal {
  #target: StateJournal = noJournal;

  get target(): StateJournal {
    return this.#target;
  }

  switchTo(target: StateJournal): void {
    this.#target = target;
  }

  put(space: StateSpace, key: string, value: unknown, ttlMs?: number): void {
    this.#target.put(space, key, value, ttlMs);
  }

  remove(space: StateSpace, key: string): void {
    this.#target.remove(space, key);
  }

  flush(): Promise<void> {
    return this.#target.flush();
  }
}
