import type { ErrorTree } from './form-errors.js';
import type { AutoArchiveMinutes, ThreadInfo } from './threads.js';

export type { AutoArchiveMinutes, ThreadInfo };

/**
 * Public shapes of the Discord webhook emulator. Tests and benches code against these, so they
 * are kept in one place, apart from the server and the validation logic.
 */

export interface WindowSpec {
  limit: number;
  windowMs: number;
}

export interface EmulatorOptions {
  /** per-webhook bucket: requests per window; default { limit: 5, windowMs: 2000 } */
  webhookLimit?: WindowSpec;
  /** hidden per-channel limit on messages created (POST executes, not PATCH): default { limit: 30, windowMs: 60000 }; null disables */
  channelLimit?: WindowSpec | null;
  /** global limit: default { limit: 50, windowMs: 1000 } */
  globalLimit?: WindowSpec | null;
  /** injected clock for tests, default Date.now */
  now?: () => number;
  /**
   * Answer unversioned /api/webhooks paths in API v6 style (retry_after and Retry-After in
   * milliseconds, legacy form-error bodies). Default true, as Discord does.
   */
  unversionedIsV6?: boolean;
  /**
   * Minutes without a new message after which a thread archives (forum posts, threads given by
   * thread_id): default 1440. A channel can have its own (createWebhook).
   */
  autoArchiveMinutes?: AutoArchiveMinutes;
  /**
   * A body Discord's OpenAPI spec refuses is answered 400 and, unless this is set, also fails
   * the running test (test/support/spec-guard.ts). Set it in tests that send such bodies on
   * purpose.
   */
  allowSpecViolations?: boolean;
}

export interface CreateWebhookOptions {
  channelId?: string;
  forum?: boolean;
  /** The auto-archive duration of the channel's threads, instead of the emulator's. */
  autoArchiveMinutes?: AutoArchiveMinutes;
}

export interface WebhookHandle {
  id: string;
  token: string;
  channelId: string;
  /** https://discord.com/api/webhooks/{id}/{token}: the URL a user would paste */
  url: string;
}

export type RateLimitScope = 'user' | 'global' | 'shared';

export interface ReceivedRequest {
  method: 'POST' | 'PATCH' | 'GET' | 'DELETE';
  webhookId: string;
  /** path WITHOUT the token, e.g. /api/v10/webhooks/123/:token?wait=true */
  path: string;
  query: Record<string, string>;
  /** parsed JSON body; the raw text when it was not JSON; undefined when empty */
  body: unknown;
  /** HTTP status answered; 0 when the socket was destroyed without an answer */
  status: number;
  at: number;
  responseBody: unknown;
  /** X-RateLimit-Scope of a 429 */
  scope?: RateLimitScope;
  /** what Discord's OpenAPI spec refused in the body; absent when it passed */
  specErrors?: ErrorTree;
}

export interface StoredMessage {
  id: string;
  webhookId: string;
  channelId: string;
  threadId?: string;
  /**
   * The accepted request body (content, embeds, username, allowed_mentions, ...), with edits
   * merged in. An edit that omits allowed_mentions drops it here, because Discord then re-parses
   * the message with its defaults.
   */
  body: any;
  createdAt: number;
  editedAt?: number;
  edits: number;
  /** set when the message was deleted through the API; the entry stays in the list */
  deletedAt?: number;
}

export interface Faults {
  /** probability 0..1 to answer 500/502/503 instead of processing */
  serverErrorRate?: number;
  /** probability 0..1 to destroy the socket without answering */
  resetRate?: number;
  /** added latency in ms before answering */
  latencyMs?: number;
  /** next N requests answer 429 with this scope/global flag and retry_after seconds */
  force429?: { count: number; retryAfter: number; global?: boolean; scope?: RateLimitScope };
  /**
   * next N requests answer this status before any gate: with `json`, as Discord's API would;
   * without, an HTML page and no rate-limit headers, as a proxy or the edge would
   */
  forceAnswer?: { count: number; status: number; json?: unknown };
  /** RNG for the rates, default Math.random */
  random?: () => number;
}

export interface Counts {
  total: number;
  byStatus: Record<number, number>;
  status429ByScope: Record<string, number>;
  status400: number;
}

export interface Emulator {
  /** http://127.0.0.1:PORT (origin; the app uses it as api_base_url) */
  url: string;
  /** ids: 19-digit snowflake strings, tokens: 68 chars [A-Za-z0-9_-] */
  createWebhook(opts?: CreateWebhookOptions): WebhookHandle;
  /** afterwards every request for it answers 404 {"message":"Unknown Webhook","code":10015} */
  deleteWebhook(id: string): void;
  /** every request, in order (tokens never stored in path) */
  readonly requests: ReceivedRequest[];
  /** every accepted message (current state after edits) */
  readonly messages: StoredMessage[];
  messagesFor(webhookId: string): StoredMessage[];
  /**
   * Archives the thread now, ahead of its auto-archive duration (which the `now` clock can also
   * run out). Throws for a thread no message was posted into.
   */
  archiveThread(threadId: string): void;
  /** The thread as it stands now; undefined for one no message was posted into. */
  thread(threadId: string): ThreadInfo | undefined;
  /** replace faults; setFaults({}) clears */
  setFaults(f: Faults): void;
  counts(): Counts;
  /** clear requests, messages, threads, rate-limit state and faults; keep webhooks */
  reset(): void;
  close(): Promise<void>;
}
