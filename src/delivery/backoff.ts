/**
 * Exponential backoff with full jitter (a random wait between 0 and the exponential cap):
 * many alertcord replicas retrying against one Discord outage spread out instead of
 * stampeding together.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}

/** A server's Retry-After is a floor, never shortened by jitter. */
export function retryDelay(
  policy: BackoffPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random?: () => number,
): number {
  return Math.max(backoffDelay(policy, attempt, random), retryAfterMs ?? 0);
}
