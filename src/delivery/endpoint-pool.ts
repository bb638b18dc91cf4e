import type { ResolvedTarget } from '../config/load.js';
import type { MessageSink } from '../discord/client.js';
import type { Clock } from '../shared/clock.js';
import type { StateJournal } from '../state/journal.js';
import type { Restorable } from '../state/restorable.js';
import { Breaker, type BreakerPolicy, type BreakerState } from './breaker.js';
import type { DeliveryEvents } from './delivery-events.js';
import type { LineWriter } from './dry-run.js';
import { DryRunEndpoint, WebhookEndpoint, type Endpoint } from './endpoint.js';
import { RateLimits, type RateLimitConfig } from './rate-limit/rate-limits.js';

export interface EndpointPoolOptions {
  clock: Clock;
  sink: MessageSink;
  dryRunOut: LineWriter;
  breaker: BreakerPolicy;
  rateLimits: RateLimitConfig;
  events: Pick<DeliveryEvents, 'webhookAdded' | 'breakerChanged'>;
  /** Where what was learned about the channels is recorded (space `channel-windows`); none by default. */
  journal?: StateJournal | undefined;
}

/** One webhook of a target's pool, as the status page shows it. */
export interface EndpointSnapshot {
  target: string;
  webhookId: string;
  bucket: { remaining: number; limit: number | undefined; resetInMs: number };
  breaker: { state: BreakerState; retryInMs: number };
  gone: string | undefined;
}

/** Which endpoint of a lane may send now, and if none, how long until one may. */
interface Choice {
  chosen: Endpoint | undefined;
  /** Endpoints that could send now. */
  free: number;
  waitMs: number;
}

/**
 * Every webhook alertcord sends through, with its breaker and its share of the rate limits;
 * a target's pool of them (or a dry-run printer), and which of a pool may send a job now.
 */
export class EndpointPool {
  /**
   * Keyed by webhook id and token: a webhook found gone stays gone for that URL, while a reload
   * with a corrected URL (a new token, or a new webhook) gets an endpoint of its own.
   */
  readonly #endpoints = new Map<string, WebhookEndpoint>();
  readonly #limits: RateLimits;

  constructor(private readonly o: EndpointPoolOptions) {
    this.#limits = new RateLimits(o.rateLimits, o.journal);
  }

  /** The channel windows, for a dispatcher taking over to restore. */
  get channelWindows(): Restorable {
    return this.#limits.channels;
  }

  /** The endpoints of a target: its webhook pool, or a dry-run printer. */
  of(target: ResolvedTarget): Endpoint[] {
    const { o } = this;
    if (target.webhooks.length === 0) return [new DryRunEndpoint(target.name, o.dryRunOut)];
    return target.webhooks.map((webhook) => {
      let endpoint = this.#endpoints.get(webhook.key);
      if (!endpoint) {
        const breaker = new Breaker(o.breaker, (from, to, failures) =>
          o.events.breakerChanged(webhook.id, from, to, failures),
        );
        o.events.webhookAdded(webhook.id);
        endpoint = new WebhookEndpoint(webhook, this.#limits, breaker, o.sink, o.clock);
        this.#endpoints.set(webhook.key, endpoint);
      }
      return endpoint;
    });
  }

  /** Any token of a webhook may edit what it posted: live if one of its URLs still works. */
  live(webhookId: string): boolean {
    return [...this.#endpoints.values()].some((e) => e.webhookId === webhookId && e.gone === undefined);
  }

  /**
   * The least recently used of these endpoints that may send now (only the pinned webhook, when
   * the job edits a message it posted); `critical` may use the channel's reserve.
   */
  pick(endpoints: readonly Endpoint[], pinned: string | undefined, now: number, critical: boolean): Choice {
    let chosen: Endpoint | undefined;
    let free = 0;
    let waitMs = Infinity;
    for (const e of endpoints) {
      if (e.gone || e.busy || (pinned !== undefined && e.webhookId !== pinned)) continue;
      const w = e.waitMs(now, critical);
      if (w > 0) waitMs = Math.min(waitMs, w);
      else {
        free += 1;
        if (!chosen || e.lastUsed < chosen.lastUsed) chosen = e;
      }
    }
    return { chosen, free, waitMs };
  }

  /** How long a target's channel needs to take `messages` more, at its learned budget. */
  drainMs(target: ResolvedTarget, messages: number, now: number): number {
    const first = target.webhooks[0];
    return first ? this.#limits.drainMs(first.id, messages, now) : 0;
  }

  /** Every webhook of these targets: its bucket, breaker and whether it is gone. */
  snapshot(targets: Iterable<ResolvedTarget>, now: number): EndpointSnapshot[] {
    const rows: EndpointSnapshot[] = [];
    for (const target of targets) {
      for (const webhook of target.webhooks) {
        const endpoint = this.#endpoints.get(webhook.key);
        rows.push({
          target: target.name,
          webhookId: webhook.id,
          bucket: this.#limits.bucketSnapshot(webhook.id, now),
          breaker: endpoint
            ? { state: endpoint.breaker.state(now), retryInMs: endpoint.breaker.waitMs(now) }
            : { state: 'closed', retryInMs: 0 },
          gone: endpoint?.gone,
        });
      }
    }
    return rows;
  }
}
