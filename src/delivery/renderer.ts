import type { DiscordMessage } from '../discord/message.js';
import type { Job } from './job.js';

/** How a job becomes Discord messages, in the target's format or its storm digest. */
export interface Renderer {
  /** Pages the job's render takes: a huge group is rendered a page per send. */
  pages(job: Job, digest: boolean): number;
  /** One page of the job's render, or all of it when `page` is absent. */
  render(job: Job, digest: boolean, page?: number): DiscordMessage[];
}
