import type { MessageSink } from '../discord/client.js';
import type { DiscordMessage } from '../discord/message.js';
import type { SendResult } from '../discord/send-result.js';
import type { Webhook } from '../discord/webhook.js';
import type { Clock } from '../shared/clock.js';
import type { Breaker } from './breaker.js';
import { dryRunSender, type LineWriter } from './dry-run.js';
import type { PartRoute } from './job.js';
import type { Lesson, RateLimits } from './rate-limit/rate-limits.js';

export interface Sent {
  result: SendResult;
  /** The request was a half-open breaker's probe. */
  probe: boolean;
  lesson: Lesson;
}

const UNANSWERED: SendResult = {
  kind: 'retryable',
  status: undefined,
  reason: 'no answer',
  retryAfterMs: undefined,
  rateLimit: {},
};

/** Where a target's messages can go: one webhook of its pool, or stdout in dry-run. */
export interface Endpoint {
  /** The webhook's numeric id; undefined in dry-run. */
  readonly webhookId: string | undefined;
  /** A request is on its way: one at a time per webhook keeps the bucket's count exact. */
  busy: boolean;
  lastUsed: number;
  /** Why the webhook is out of rotation for good (404/401), if it is. */
  gone: string | undefined;
  waitMs(now: number, critical: boolean): number;
  /** Posts the message, or edits or deletes one this webhook posted when the route says so. */
  send(message: DiscordMessage, route?: PartRoute): Promise<Sent>;
}

export class WebhookEndpoint implements Endpoint {
  busy = false;
  lastUsed = Number.NEGATIVE_INFINITY;
  gone: string | undefined;

  constructor(
    readonly webhook: Webhook,
    private readonly limits: RateLimits,
    readonly breaker: Breaker,
    private readonly sink: MessageSink,
    private readonly clock: Clock,
  ) {}

  get webhookId(): string {
    return this.webhook.id;
  }

  waitMs(now: number, critical: boolean): number {
    return Math.max(this.breaker.waitMs(now), this.limits.waitMs(this.webhook.id, now, critical));
  }

  async send(message: DiscordMessage, route?: PartRoute): Promise<Sent> {
    const start = this.clock.now();
    const probe = this.breaker.onSend(start);
    const ticket = this.limits.take(this.webhook.id, start);
    let result: SendResult;
    try {
      result = await this.#request(message, route);
    } catch (err) {
      // A bug below us, not an answer: hand the budgets back as for a request that may have
      // reached Discord, or they would wait for an answer forever. The caller dead-letters.
      this.limits.settle(this.webhook.id, ticket, UNANSWERED, this.clock.now(), route?.kind !== 'edit');
      this.breaker.neutral();
      throw err;
    }
    const now = this.clock.now();
    // Edits and deletes count against the webhook's bucket, not the channel's message window.
    const lesson = this.limits.settle(this.webhook.id, ticket, result, now, (route?.kind ?? 'post') === 'post');
    switch (result.kind) {
      case 'retryable':
        this.breaker.failure(now);
        break;
      case 'rateLimited':
      case 'gone':
        this.breaker.neutral();
        break;
      default:
        // Discord answered the request itself (even a 400): the webhook works.
        this.breaker.success();
    }
    return { result, probe, lesson };
  }

  #request(message: DiscordMessage, route: PartRoute | undefined): Promise<SendResult> {
    const threadId = route?.threadId;
    if (route?.kind === 'edit') return this.sink.edit(this.webhook, route.messageId, message, { threadId });
    if (route?.kind === 'delete') return this.sink.delete(this.webhook, route.messageId, { threadId });
    if (threadId === undefined) return this.sink.execute(this.webhook, message);
    // Into an existing thread: a thread_name as well would be refused (220002); tags count only
    // when a post is created.
    const { thread_name: _name, applied_tags: _tags, ...inThread } = message;
    return this.sink.execute(this.webhook, inThread, { threadId });
  }
}

export class DryRunEndpoint implements Endpoint {
  readonly webhookId = undefined;
  busy = false;
  lastUsed = Number.NEGATIVE_INFINITY;
  gone = undefined;
  readonly #print: (m: DiscordMessage) => Promise<SendResult>;

  constructor(target: string, out: LineWriter) {
    this.#print = dryRunSender(target, out);
  }

  waitMs(): number {
    return 0;
  }

  async send(message: DiscordMessage): Promise<Sent> {
    return { result: await this.#print(message), probe: false, lesson: { kind: 'none' } };
  }
}
