import type { DiscordMessage } from '../discord/message.js';
import type { SendResult } from '../discord/send-result.js';
import { notificationState, type RepeatPolicy } from '../lifecycle/dedup.js';
import type { MessageMemory, PostedMessage } from '../lifecycle/message-memory.js';
import { planParts } from '../lifecycle/plan-parts.js';
import type { Job } from './job.js';

/**
 * Ties a group's notifications to its message in Discord: plans each job's parts as edits or
 * new posts, pins an edit to the webhook that posted the message (only it may edit), and
 * remembers what Discord accepted.
 */
export class MessageLifecycle {
  readonly #pins = new WeakMap<Job, string | undefined>();

  constructor(
    private readonly memory: MessageMemory | undefined,
    private readonly repeat: RepeatPolicy,
    private readonly webhookLive: (webhookId: string) => boolean,
  ) {}

  /** Decided when the job is rendered, i.e. just before its first part goes out. */
  plan(job: Job, rendered: DiscordMessage[]): DiscordMessage[] {
    const posted = this.#editable(job);
    const plan = planParts(this.repeat, job.target, job.notification, rendered, posted);
    job.routes = plan.routes;
    this.#pins.set(job, plan.routes.some((r) => r.kind === 'edit') ? posted?.webhookId : undefined);
    return plan.parts;
  }

  pinnedWebhook(job: Job): string | undefined {
    return job.routes ? this.#pins.get(job) : this.#editable(job)?.webhookId;
  }

  answered(job: Job, result: SendResult, webhookId: string | undefined): void {
    const route = job.routes?.[job.sent];
    if (result.kind !== 'ok' || !result.messageId || !webhookId || !route || route.kind !== 'post') return;
    let threadId = route.threadId;
    if (threadId === undefined && job.target.forum && job.sent === 0) {
      // A forum post opens a thread whose id is its first message's: later parts go there.
      threadId = result.messageId;
      for (const later of job.routes!.slice(1)) later.threadId ??= threadId;
    }
    if (route.notice || !this.memory || job.target.resolve === 'new') return;
    this.memory.recordPost(job.target.name, job.notification.groupKey, job.sent, {
      webhookId,
      messageId: result.messageId,
      threadId,
      ...shown(job),
    });
  }

  delivered(job: Job): void {
    this.memory?.settle(job.target.name, job.notification.groupKey, shown(job));
  }

  /** The group's message, when one of the target's live webhooks posted it. */
  #editable(job: Job): PostedMessage | undefined {
    // An escalation (it carries a note) is a post of its own that must ping, never an edit.
    if (!this.memory || job.target.resolve === 'new' || job.note !== undefined) return undefined;
    const posted = this.memory.get(job.target.name, job.notification.groupKey);
    if (!posted || !job.target.webhooks.some((w) => w.id === posted.webhookId)) return undefined;
    return this.webhookLive(posted.webhookId) ? posted : undefined;
  }
}

const shown = (job: Job) => ({
  resolved: job.notification.status === 'resolved',
  state: notificationState(job.notification),
});
