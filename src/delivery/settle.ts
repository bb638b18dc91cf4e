import type { Outcome } from './delivery-events.js';
import type { Verdict } from './judge-answer.js';
import type { Packed } from './lane.js';

/** What is left for the scheduler once a verdict is applied to the jobs of its request. */
interface Settlement {
  /** Jobs with nothing more to send, in the pack's order. */
  finished: { packed: Packed; outcome: Outcome }[];
  /** When the jobs may go again (a retry's backoff). */
  retryAt: number | undefined;
  /** Why the webhook is out of rotation for good, when the verdict says so. */
  gone: string | undefined;
}

/** Applies a verdict to the jobs that shared a request (the head first). */
export function settle(pack: readonly Packed[], verdict: Verdict, now: number): Settlement {
  const head = pack[0]!.job;
  const none: Settlement = { finished: [], retryAt: undefined, gone: undefined };
  switch (verdict.kind) {
    case 'accepted': {
      const finished: Settlement['finished'] = [];
      for (const packed of pack) {
        packed.job.sent += 1;
        if (packed.job.sent >= packed.job.parts!.length) finished.push({ packed, outcome: { delivered: true } });
      }
      return { ...none, finished };
    }
    case 'wait':
      return none;
    case 'reopen':
      // The scheduler turns it into a retry or a refusal before applying it.
      return none;
    case 'postAnew':
      // Deleted by someone, or posted before a restart: the part goes out as a new message.
      head.routes![head.sent] = verdict.route;
      return settle(pack, { kind: 'retry', at: now, attempts: head.attempts }, now);
    case 'retry':
      head.attempts = verdict.attempts;
      for (const { job } of pack) {
        job.attempts = Math.max(job.attempts, head.attempts);
        job.notBefore = verdict.at;
      }
      return { ...none, retryAt: verdict.at };
    case 'webhookGone':
      // The message goes out through another webhook of the pool, if one is left.
      return { ...none, gone: verdict.detail };
    case 'giveUp': {
      const outcome: Outcome = { delivered: false, reason: verdict.reason, detail: verdict.detail };
      return { ...none, finished: pack.map((packed) => ({ packed, outcome })) };
    }
  }
}
