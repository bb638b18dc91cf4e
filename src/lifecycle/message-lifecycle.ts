import type { ResolvedTarget } from '../config/load.js';
import type { Job, PartRoute, PostRoute } from '../delivery/job.js';
import type { MessagePlanner } from '../delivery/message-planner.js';
import type { Renderer } from '../delivery/renderer.js';
import type { DiscordMessage } from '../discord/message.js';
import type { SendResult } from '../discord/send-result.js';
import { notificationState, type RepeatPolicy } from './dedup.js';
import type { GroupState, GroupStates } from './group-states.js';
import type { MessageMemory, PostedMessage, SharedView } from './message-memory.js';
import { partPlanner, planParts } from './plan-parts.js';
import { planViews } from './plan-views.js';
import { reopenArchivedThread } from './reopen-thread.js';

export interface LifecycleOptions {
  memory: MessageMemory | undefined;
  /** Current state per group, so shared messages can be rendered again; none: they never are. */
  states: GroupStates | undefined;
  repeat: RepeatPolicy;
  /** Whether a webhook may still edit what it posted (one of its URLs still works). */
  webhooks: { live(webhookId: string): boolean };
  /** The target's render of a job, before planning: each page is rendered when the send needs it. */
  renderer: Renderer;
}

/**
 * Ties a group's notifications to its messages in Discord: plans each job's parts as edits,
 * deletes or new posts, keeps messages shared with other groups true to all of them, pins an
 * edit to the webhook that posted the message (only it may edit), and remembers what Discord
 * accepted.
 */
export class MessageLifecycle implements MessagePlanner {
  readonly #pins = new WeakMap<Job, string | undefined>();

  constructor(private readonly o: LifecycleOptions) {}

  /** Decided when the job is rendered, i.e. just before its first part goes out. */
  plan(job: Job, digest: boolean): DiscordMessage[] {
    const { memory, states } = this.o;
    const target = job.target.name;
    const groupKey = job.notification.groupKey;
    const posted = this.#editable(job);
    // A group shown in a digest view keeps the digest format there, so the view still fits.
    const inView = posted?.messageIds.some((id) => memory?.view(target, id) !== undefined) ?? false;
    const asDigest = digest || (inView && states?.get(target, groupKey)?.digest === true);
    if (memory && job.target.resolve !== 'new') {
      states?.set(target, groupKey, {
        notification: job.notification,
        digest: asDigest,
        ...(job.flags !== undefined ? { flags: job.flags } : {}),
      });
    }
    const pages = this.o.renderer.pages(job, asDigest);
    // A view is planned against its neighbours as a whole: only a group in no view goes page by page.
    if (pages > 1 && !inView) return this.#planByPage(job, asDigest, pages, posted);
    const rendered =
      pages > 1
        ? Array.from({ length: pages }, (_, p) => this.o.renderer.render(job, asDigest, p)).flat()
        : this.o.renderer.render(job, asDigest);
    let plan = planParts(this.#repeat(job), job.target, job.notification, rendered, posted);
    if (memory && states && posted) {
      plan = planViews(plan, {
        groupKey,
        view: (messageId) => memory.view(target, messageId),
        partOf: (g, messageId) => this.#partOf(job.target, g, messageId),
        digest: asDigest,
      });
    }
    job.routes = plan.routes;
    this.#pins.set(job, plan.routes.some((r) => r.kind !== 'post') ? posted?.webhookId : undefined);
    return plan.parts;
  }

  /** A replay that finds its state shown already edits it in place: a repost would duplicate it. */
  #repeat(job: Job): RepeatPolicy {
    return job.replay ? 'edit' : this.o.repeat;
  }

  /** The first page now; `job.more` plans each next one when the scheduler reaches it. */
  #planByPage(job: Job, digest: boolean, pages: number, posted: PostedMessage | undefined): DiscordMessage[] {
    const planner = partPlanner(this.#repeat(job), job.target, job.notification, posted);
    const parts: DiscordMessage[] = [];
    const routes: PartRoute[] = [];
    job.routes = routes;
    this.#pins.set(job, planner.edits ? posted?.webhookId : undefined);
    let page = 0;
    let count = 0;
    job.more = () => {
      if (page >= pages) return false;
      for (const rendered of this.o.renderer.render(job, digest, page)) {
        const { part, route } = planner.part(count, rendered);
        // A forum post's later parts go into the thread its first part opened (see `answered`).
        if (job.target.forum && count > 0) route.threadId ??= routes[0]?.threadId;
        parts.push(part);
        routes.push(route);
        count += 1;
      }
      page += 1;
      if (page >= pages) {
        const tail = planner.tail(count);
        parts.push(...tail.parts);
        routes.push(...tail.routes);
        job.more = undefined;
      }
      return true;
    };
    job.more();
    return parts;
  }

  /**
   * The groups a plan of this job may change the messages of: its own, and every group that
   * shares a message with it (a view it edits, leaves or moves them out of).
   */
  reach(job: Job): string[] {
    const own = job.notification.groupKey;
    const target = job.target.name;
    const ids = this.o.memory?.get(target, own)?.messageIds ?? [];
    const shared = ids.flatMap((id) => this.o.memory?.view(target, id)?.groupKeys ?? []);
    return [...new Set([own, ...shared])];
  }

  pinnedWebhook(job: Job): string | undefined {
    return job.routes ? this.#pins.get(job) : this.#editable(job)?.webhookId;
  }

  /** Discord's answer to one request, which may carry the parts of several jobs (packed). */
  answered(jobs: readonly Job[], result: SendResult, webhookId: string | undefined): void {
    const head = jobs[0];
    const route = head?.routes?.[head.sent];
    const { memory } = this.o;
    if (!head || result.kind !== 'ok' || !webhookId || !route || !memory) return;
    const target = head.target.name;
    if (route.kind === 'delete') return memory.forgetView(target, route.messageId);
    if (route.kind === 'edit') {
      if (route.view) {
        const { messageId, threadId } = route;
        this.#recordView(target, { webhookId, messageId, threadId, groupKeys: route.view });
      }
      return;
    }
    if (!result.messageId) return;
    let threadId = route.threadId;
    if (threadId === undefined && head.target.forum && head.sent === 0 && !route.replaces) {
      // A forum post opens a thread whose id is its first message's: later parts go there.
      threadId = result.messageId;
      for (const later of head.routes!.slice(1)) later.threadId ??= threadId;
    }
    if (head.target.resolve === 'new') return;
    const shows = jobs.filter((j) => {
      const r = j.routes?.[j.sent];
      return r?.kind === 'post' && !r.notice;
    });
    const groupKeys: string[] = [];
    for (const job of shows) {
      const own = job.notification.groupKey;
      const replaces = (job.routes![job.sent] as PostRoute).replaces;
      for (const g of replaces?.groupKeys ?? [own]) {
        groupKeys.push(g);
        // A neighbour posted by this job (a view anew, or moved out of one) keeps its state.
        if (g !== own) memory.moved(target, g, replaces!.messageId, result.messageId);
        else
          memory.recordPost(target, own, job.sent, { webhookId, messageId: result.messageId, threadId, ...shown(job) });
      }
    }
    if (groupKeys.length > 1) {
      this.#recordView(target, { webhookId, messageId: result.messageId, threadId, groupKeys });
    }
  }

  /** A view keeps the states it shows as long as itself, so it can always be rendered again. */
  #recordView(target: string, view: SharedView): void {
    this.o.memory?.recordView(target, view);
    for (const g of view.groupKeys) this.o.states?.touch(target, g);
  }

  reopen(job: Job): boolean {
    return reopenArchivedThread(job);
  }

  delivered(job: Job): void {
    const groupKey = job.notification.groupKey;
    const parts = job.routes?.filter((r) => isGroupPart(r, groupKey)).length;
    this.o.memory?.settle(job.target.name, groupKey, shown(job), parts);
  }

  /** The group's message, when one of the target's live webhooks posted it. */
  #editable(job: Job): PostedMessage | undefined {
    const { memory } = this.o;
    // An escalation (it carries a note) is a post of its own that must ping, never an edit.
    if (!memory || job.target.resolve === 'new' || job.note !== undefined) return undefined;
    const posted = memory.get(job.target.name, job.notification.groupKey);
    if (!posted || !job.target.webhooks.some((w) => w.id === posted.webhookId)) return undefined;
    return this.o.webhooks.live(posted.webhookId) ? posted : undefined;
  }

  /** Another group's share of a shared message, from its current state. */
  #partOf(target: ResolvedTarget, groupKey: string, messageId: string): DiscordMessage | undefined {
    const index = this.o.memory?.get(target.name, groupKey)?.messageIds.indexOf(messageId) ?? -1;
    const state = this.o.states?.get(target.name, groupKey);
    if (index < 0 || !state) return undefined;
    try {
      const job = stateJob(target, state);
      const pages = this.o.renderer.pages(job, state.digest);
      // Only as many pages as it takes to reach the part.
      let parts = pages > 1 ? [] : this.o.renderer.render(job, state.digest);
      for (let p = 0; p < pages && pages > 1 && parts.length <= index; p++)
        parts = [...parts, ...this.o.renderer.render(job, state.digest, p)];
      const part = parts[index] ?? parts.at(-1);
      // As every edit: explicit, so Discord does not re-parse mentions with its defaults.
      return part && { ...part, allowed_mentions: { parse: [] } };
    } catch {
      return undefined;
    }
  }
}

/** A part of the group's own message, not a notice or the edit of a view it left. */
const isGroupPart = (r: PartRoute, groupKey: string): boolean =>
  r.kind === 'post'
    ? !r.notice && (r.replaces?.groupKeys.includes(groupKey) ?? true)
    : r.kind === 'edit'
      ? (r.view?.includes(groupKey) ?? true)
      : false;

/** A job that only serves to render a group's current state again. */
const stateJob = (target: ResolvedTarget, s: GroupState): Job => ({
  id: 0,
  target,
  notification: s.notification,
  priority: 'normal',
  receivedAt: 0,
  bytes: 0,
  attempts: 0,
  notBefore: 0,
  parts: undefined,
  sent: 0,
  webhookId: undefined,
  ...(s.flags !== undefined ? { flags: s.flags } : {}),
});

const shown = (job: Job) => ({
  resolved: job.notification.status === 'resolved',
  state: notificationState(job.notification),
});
