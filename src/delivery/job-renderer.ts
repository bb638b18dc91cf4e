import { stormTemplateOf } from '../render/storm-template.js';
import type { Runtime } from '../config/load-runtime.js';
import type { DiscordMessage } from '../discord/message.js';
import type { Metrics } from '../metrics/metrics.js';
import { forumTagsFor } from '../render/forum-tags.js';
import { mentionsFor } from '../render/mentions.js';
import { pageCount, renderMessages } from '../render/render-job.js';
import type { Logger } from '../shared/logger.js';
import type { Job } from './job.js';
import type { Renderer } from './renderer.js';

/**
 * Renders jobs with the running config's templates (they follow reloads): the target's
 * template, or in a storm its digest template; with the target's mentions, username and
 * avatar, and in a forum the post's tags. A template that fails falls back to a shipped one,
 * and what fitting cut is counted.
 */
export class JobRenderer implements Renderer {
  constructor(
    private readonly runtime: () => Runtime,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  pages(job: Job, digest: boolean): number {
    return pageCount(this.runtime().templates, {
      notification: job.notification,
      template: this.#template(job, digest),
    });
  }

  render(job: Job, digest: boolean, page?: number): DiscordMessage[] {
    const template = this.#template(job, digest);
    const { templates, severities } = this.runtime();
    const out = renderMessages(templates, {
      page,
      notification: job.notification,
      target: job.target.name,
      template,
      username: job.target.username,
      avatarUrl: job.target.avatar_url,
      mentions: mentionsFor(job.target.mentions, job.notification),
      // On every render; only the message that creates the post carries them to Discord.
      appliedTags: job.target.forum ? forumTagsFor(job.target.forum_tags, job.notification, severities) : undefined,
      note: job.note,
      flags: job.flags,
    });
    if (out.templateError) {
      this.metrics.templateErrors.inc({ template });
      this.log.error(
        { template, fallback: out.template, error: out.templateError },
        'template failed; rendered with a shipped fallback',
      );
    }
    for (const cut of out.cuts) this.metrics.fitCuts.inc({ action: cut.action });
    if (out.cuts.length > 0) {
      this.log.info({ groupKey: job.notification.groupKey, cuts: out.cuts }, "message fitted to Discord's limits");
    }
    return out.messages;
  }

  #template(job: Job, digest: boolean): string {
    return digest
      ? stormTemplateOf(this.runtime().templates, job.target, this.runtime().config.delivery.digest_template)
      : job.target.template;
  }
}
