import { retryDelay, type BackoffPolicy } from './backoff.js';
import type { DeadLetterReason } from './dead-letters.js';
import type { Sent } from './endpoint.js';
import type { Job, PostRoute } from './job.js';

export type Verdict =
  /** Discord accepted the part (or a part to delete was gone already). */
  | { kind: 'accepted' }
  /** A 429: the budgets have learned when to try again; no attempt is used up. */
  | { kind: 'wait' }
  /** `attempts`: the job's failed attempts, this one counted. */
  | { kind: 'retry'; at: number; attempts: number }
  /** The message to edit is gone (deleted, or posted before a restart): the part goes as `route`. */
  | { kind: 'postAnew'; route: PostRoute }
  /** An edit in an archived thread: a post into the thread may reopen it. */
  | { kind: 'reopen' }
  /** Discord's 404 10015 / 401 50027: the webhook is deleted or its token revoked; the message is fine. */
  | { kind: 'webhookGone'; detail: string }
  | { kind: 'giveUp'; reason: DeadLetterReason; detail: string };

export interface JudgePolicy {
  backoff: BackoffPolicy;
  maxAttempts: number;
  /** Jitter source for retries (tests pin it). */
  random: (() => number) | undefined;
}

/** What a second refusal of an archived thread's edit (or one with no thread to post into) is. */
export const ARCHIVED: Verdict = { kind: 'giveUp', reason: 'rejected', detail: '400 thread is archived (code 50083)' };

/**
 * What one answer from Discord means for the job that was sent. A failure counts as one of the
 * job's attempts, except a half-open breaker's failed probe: that says the webhook is still
 * down, not that the message is bad. Changes nothing: the caller applies it and reports it.
 */
export function judgeAnswer({ result, probe }: Sent, job: Job, policy: JudgePolicy, now: number): Verdict {
  switch (result.kind) {
    case 'ok':
      return { kind: 'accepted' };
    case 'rateLimited':
      return { kind: 'wait' };
    case 'retryable': {
      const attempts = probe ? job.attempts : job.attempts + 1;
      if (attempts >= policy.maxAttempts)
        return { kind: 'giveUp', reason: 'attempts_exhausted', detail: result.reason };
      const delay = retryDelay(policy.backoff, Math.max(1, attempts), result.retryAfterMs, policy.random);
      return { kind: 'retry', at: now + delay, attempts };
    }
    case 'gone':
      return {
        kind: 'webhookGone',
        detail: `Discord answered ${result.status} (code ${result.code}): webhook deleted or token revoked`,
      };
    case 'unknownMessage': {
      const route = job.routes?.[job.sent];
      // A part to delete that is gone already is what was wanted.
      if (route?.kind === 'delete') return { kind: 'accepted' };
      if (route?.kind !== 'edit') return { kind: 'giveUp', reason: 'rejected', detail: '404 unknown message' };
      return route.fallback ? { kind: 'postAnew', route: route.fallback } : { kind: 'accepted' };
    }
    case 'archived':
      return { kind: 'reopen' };
    case 'rejected':
      return { kind: 'giveUp', reason: 'rejected', detail: `${result.status} ${result.message}` };
  }
}
