import type { DiscordMessage } from '../discord/message.js';
import type { Job } from './job.js';
import type { MessagePlanner } from './message-planner.js';

/**
 * The job's next part: planned on first use, its next page rendered only when the part after
 * this one is needed (to know whether this one is its last), so a huge group costs a page per send.
 */
export function nextPart(job: Job, planner: MessagePlanner, digest: boolean): DiscordMessage | undefined {
  const parts = (job.parts ??= planner.plan(job, digest));
  while (parts.length <= job.sent + 1 && job.more?.()) {
    // Each call adds a page (possibly empty) until none is left.
  }
  return parts[job.sent];
}

/** Drops a job's plan, so it is planned again when it is sent. */
export function forgetPlan(job: Job): void {
  job.parts = undefined;
  job.routes = undefined;
  job.more = undefined;
}
