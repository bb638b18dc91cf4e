import { LIMITS } from '../discord/limits.js';
import type { Job } from './job.js';

/** Arrivals of this long ago are taken as what the next moment brings. */
export const ARRIVAL_WINDOW_MS = 10_000;

/**
 * In digest mode a non-critical message waits this long after its oldest alert arrived, so it
 * goes out full rather than spend a channel slot on a few alerts: the time a channel at
 * Discord's rate (30 / 60 s) takes to free one slot.
 */
export const DIGEST_LINGER_MS = 2000;

/** Rich messages a job needs: what is left of its rendered parts, or one per 10 alerts. */
export const richMessages = (job: Job): number =>
  job.parts ? job.parts.length - job.sent : Math.ceil(job.notification.alerts.length / LIMITS.embedsPerMessage);

/**
 * The rich messages of the groups that arrived lately: the arrival rate, in the unit the
 * channel budget is counted in. Bounded by what arrives within the window.
 */
export class ArrivalLog {
  #entries: { at: number; messages: number }[] = [];
  #total = 0;

  record(at: number, messages: number): void {
    this.#entries.push({ at, messages });
    this.#total += messages;
  }

  /** Rich messages that arrived within the last ARRIVAL_WINDOW_MS. */
  messages(now: number): number {
    let drop = 0;
    while (drop < this.#entries.length && this.#entries[drop]!.at <= now - ARRIVAL_WINDOW_MS) {
      this.#total -= this.#entries[drop]!.messages;
      drop++;
    }
    if (drop > 0) this.#entries.splice(0, drop);
    return this.#total;
  }

  /** When the oldest arrival leaves the window (and the decision may change), if any. */
  nextExpiry(): number | undefined {
    const oldest = this.#entries[0];
    return oldest === undefined ? undefined : oldest.at + ARRIVAL_WINDOW_MS;
  }
}

interface DensityInput {
  digest: boolean;
  /** The lane's queued jobs. */
  queued: readonly Job[];
  /** Rich messages of the groups that arrived within the arrival window. */
  arrived: number;
  /** How long the channel, with what it took lately, needs to take `messages` more. */
  drainMs: (messages: number) => number;
  /** The bound: rich rendering must name everything within it. */
  afterMs: number;
}

/**
 * Digest or rich. Rich while the channel can take, within the bound, what is queued plus as
 * much again as arrived in the last seconds: a storm is named as soon as its rate shows,
 * before its first window is spent on rich messages, and a quiet channel (a few groups) keeps
 * its rich embeds. Off again once the channel could take twice that within the bound, so the
 * format does not flap while a storm's first seconds are all the rate there is to see.
 */
export function chooseDigest(i: DensityInput): boolean {
  if (i.afterMs === Infinity) return false;
  const needed = i.queued.reduce((n, j) => n + richMessages(j), 0) + i.arrived;
  return i.drainMs(i.digest ? 2 * needed : needed) > i.afterMs;
}
