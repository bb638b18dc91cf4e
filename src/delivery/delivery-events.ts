import type { ResolvedTarget } from '../config/load.js';
import type { UrlChange } from '../discord/distinct-urls.js';
import type { SendResult } from '../discord/send-result.js';
import type { BreakerState } from './breaker.js';
import type { DeadLetter, DeadLetterReason } from './dead-letters.js';
import type { Sent } from './endpoint.js';
import type { Job } from './job.js';
import type { Verdict } from './judge-answer.js';

export type Outcome = { delivered: true } | { delivered: false; reason: DeadLetterReason; detail: string };

/** Who sent a request and when its answer was judged. */
export interface AnswerContext {
  target: string;
  webhookId: string | undefined;
  now: number;
}

/**
 * What happens on the way to Discord, as the scheduler and the webhook pool report it. The
 * plain version keeps the books; the logged one (`LoggedEvents`) logs and counts, then hands
 * each event on, so the decisions themselves neither log nor count.
 */
export interface DeliveryEvents {
  /** A queued job replaced by a newer notification of its group: its accounting ends here. */
  coalesced(replaced: Job): void;
  digestMode(target: ResolvedTarget, on: boolean): void;
  /** Every answer from Discord (one per request, for all jobs packed into it). */
  answer(sent: Sent, jobs: readonly Job[], webhookId: string | undefined, latencyMs: number): void;
  /** What an answer means for the head job of its request, before it is applied. */
  judged(sent: Sent, job: Job, verdict: Verdict, at: AnswerContext): void;
  /** Discord refused a packed request: its messages go again one by one. */
  unpacked(
    target: string,
    webhookId: string | undefined,
    refusal: Extract<SendResult, { kind: 'rejected' }>,
    messages: number,
  ): void;
  /** Embed urls made distinct across a packed request: cuts like those of fitting. */
  packed(changes: readonly UrlChange[]): void;
  done(job: Job, outcome: Outcome): void;
  /** A webhook answered 404/401: it is out of rotation for good. */
  webhookGone(target: ResolvedTarget, webhookId: string, detail: string): void;
  deadLettered(letter: DeadLetter): void;
  /** A webhook joined the pool (its breaker starts closed). */
  webhookAdded(webhookId: string): void;
  breakerChanged(webhookId: string, from: BreakerState, to: BreakerState, failures: number): void;
  /** An exception where none should be; the loop keeps running. */
  unexpected(err: unknown, context: Record<string, unknown>): void;
}
