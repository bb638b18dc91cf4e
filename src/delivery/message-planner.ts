import type { DiscordMessage } from '../discord/message.js';
import type { SendResult } from '../discord/send-result.js';
import type { Job } from './job.js';

/**
 * What the scheduler asks of the message lifecycle: the parts a job sends and where each goes
 * (new message, edit, delete), which webhook may send them, which groups a plan touches, and
 * what Discord's answers mean for the messages remembered. lifecycle/ implements it.
 */
export interface MessagePlanner {
  /** Renders and plans the job's parts (and `job.routes`) just before its first part goes out. */
  plan(job: Job, digest: boolean): DiscordMessage[];
  /** The one webhook that may send this job (it edits a message that webhook posted), if any. */
  pinnedWebhook(job: Job): string | undefined;
  /**
   * The groups whose messages a plan of this job may change, its own first. A job is planned
   * against the memory as it is then, so while its plan runs no other job that reaches one of
   * them is planned or sent.
   */
  reach(job: Job): string[];
  /** Discord's answer to one request, which may carry the parts of several jobs (packed). */
  answered(jobs: readonly Job[], result: SendResult, webhookId: string | undefined): void;
  /** Every part of the job went out. */
  delivered(job: Job): void;
  /** An edit refused because its thread is archived: plans a post that reopens it; false if none can. */
  reopen(job: Job): boolean;
}
