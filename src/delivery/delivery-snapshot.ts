import type { SendResult } from '../discord/send-result.js';
import type { DeadLetter } from './dead-letters.js';
import type { Sent } from './endpoint.js';
import type { EndpointSnapshot } from './endpoint-pool.js';
import type { Job } from './job.js';

/** One request to Discord (or one dry-run print), as the status page lists it. */
export interface DeliveryAttempt {
  at: number;
  target: string;
  webhookId: string | undefined;
  alerts: number;
  latencyMs: number;
  result: SendResult['kind'];
  status: number | undefined;
}

/** A read-only view for the status page. */
export interface DeliverySnapshot {
  queued: number;
  queueLimit: number;
  endpoints: EndpointSnapshot[];
  jobs: readonly Job[];
  /** Oldest first. */
  recentAttempts: readonly DeliveryAttempt[];
  /** The bounded ring, oldest first; `deadLettersTotal` counts every one since start. */
  deadLetters: readonly DeadLetter[];
  deadLettersTotal: number;
}

const RECENT_ATTEMPTS = 50;

/** The last requests, for the status page. */
export class RecentAttempts {
  readonly #items: DeliveryAttempt[] = [];

  record({ result }: Sent, jobs: readonly Job[], webhookId: string | undefined, latencyMs: number, at: number): void {
    this.#items.push({
      at,
      target: jobs[0]!.target.name,
      webhookId,
      alerts: jobs.reduce((n, j) => n + j.notification.alerts.length, 0),
      latencyMs,
      result: result.kind,
      status: result.kind === 'ok' ? result.status : (result.status ?? undefined),
    });
    if (this.#items.length > RECENT_ATTEMPTS) this.#items.shift();
  }

  /** Oldest first. */
  list(): DeliveryAttempt[] {
    return [...this.#items];
  }
}
