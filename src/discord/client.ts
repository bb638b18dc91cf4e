import type { Dispatcher } from 'undici';
import { isComponentsV2 } from './components.js';
import type { DiscordMessage } from './message.js';
import { parseRateLimitHeaders, parseScope, retryAfterHeaderMs, retryAfterMs } from './rate-limit-headers.js';
import {
  INVALID_WEBHOOK_TOKEN,
  THREAD_ARCHIVED,
  UNKNOWN_MESSAGE,
  UNKNOWN_WEBHOOK,
  type SendResult,
} from './send-result.js';
import { Agent, request } from './undici-request.js';
import { redactWebhookTokens } from '../shared/redact-webhook-tokens.js';
import type { Webhook } from './webhook.js';

export interface DiscordClientOptions {
  /** Origin every request goes to: https://discord.com, an egress proxy, or an emulator. */
  apiBaseUrl: string;
  timeoutMs: number;
  /** Called once per HTTP exchange, for metrics. */
  onResponse?: (webhook: Webhook, status: number | 'error', seconds: number) => void;
}

export interface SendOptions {
  threadId?: string | undefined;
}

const API_VERSION = 10;

/** The one seam where alertcord talks to Discord: execute, edit and delete. */
export interface MessageSink {
  execute(webhook: Webhook, message: DiscordMessage, options?: SendOptions): Promise<SendResult>;
  edit(webhook: Webhook, messageId: string, message: DiscordMessage, options?: SendOptions): Promise<SendResult>;
  delete(webhook: Webhook, messageId: string, options?: SendOptions): Promise<SendResult>;
  close(): Promise<void>;
}

export class DiscordClient implements MessageSink {
  readonly #agent: Agent;
  readonly #origin: string;

  constructor(private readonly options: DiscordClientOptions) {
    this.#origin = new URL(options.apiBaseUrl).origin;
    this.#agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: 32,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  execute(webhook: Webhook, message: DiscordMessage, options: SendOptions = {}): Promise<SendResult> {
    const query = new URLSearchParams({ wait: 'true' });
    if (options.threadId) query.set('thread_id', options.threadId);
    withComponents(query, message);
    return this.#send(webhook, 'POST', `${webhook.executePath()}?${query}`, message);
  }

  edit(webhook: Webhook, messageId: string, message: DiscordMessage, options: SendOptions = {}): Promise<SendResult> {
    const params = new URLSearchParams();
    if (options.threadId) params.set('thread_id', options.threadId);
    withComponents(params, message);
    const query = params.size > 0 ? `?${params}` : '';
    // username and avatar_url cannot be edited; Discord ignores them, we do not send them.
    const { username: _u, avatar_url: _a, thread_name: _t, applied_tags: _g, ...editable } = message;
    return this.#send(webhook, 'PATCH', `${webhook.messagePath(messageId)}${query}`, editable);
  }

  delete(webhook: Webhook, messageId: string, options: SendOptions = {}): Promise<SendResult> {
    const query = options.threadId ? `?thread_id=${encodeURIComponent(options.threadId)}` : '';
    return this.#send(webhook, 'DELETE', `${webhook.messagePath(messageId)}${query}`, undefined);
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #send(webhook: Webhook, method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown): Promise<SendResult> {
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await request(this.#agent, {
        origin: this.#origin,
        path,
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          'user-agent': 'alertcord (https://github.com/alertcord/alertcord, 0.1)',
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      this.options.onResponse?.(webhook, 'error', (performance.now() - started) / 1000);
      // undici error messages can echo the URL: never let the token through.
      const reason = redactWebhookTokens(networkReason(err));
      return { kind: 'retryable', status: undefined, reason, retryAfterMs: undefined, rateLimit: {} };
    }
    const text = await response.body.text().catch(() => '');
    this.options.onResponse?.(webhook, response.statusCode, (performance.now() - started) / 1000);
    return interpretResponse(response.statusCode, response.headers, text);
  }
}

/** Without it Discord ignores a plain webhook's components: a V2 message would be empty (50006). */
function withComponents(query: URLSearchParams, message: DiscordMessage): void {
  if (isComponentsV2(message)) query.set('with_components', 'true');
}

type Headers = Record<string, string | string[] | undefined>;

export function interpretResponse(status: number, headers: Headers, text: string): SendResult {
  const rateLimit = parseRateLimitHeaders(headers);
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Cloudflare and proxies answer HTML; the status code decides.
  }
  const code = typeof body.code === 'number' ? body.code : undefined;
  if (status >= 200 && status < 300) {
    const messageId = typeof body.id === 'string' ? body.id : undefined;
    const channelId = typeof body.channel_id === 'string' ? body.channel_id : undefined;
    return { kind: 'ok', status, messageId, channelId, rateLimit };
  }
  if (status === 429) {
    return {
      kind: 'rateLimited',
      status,
      retryAfterMs: retryAfterMs(headers, body, API_VERSION),
      scope: parseScope(headers, body.global),
      rateLimit,
    };
  }
  if (status === 404 && code === UNKNOWN_MESSAGE) return { kind: 'unknownMessage', status, rateLimit };
  if (status === 400 && code === THREAD_ARCHIVED) return { kind: 'archived', status, rateLimit };
  // Only Discord's own verdict takes a webhook out of rotation for good.
  if (status === 404 && code === UNKNOWN_WEBHOOK) return { kind: 'gone', status, code, rateLimit };
  if (status === 401 && code === INVALID_WEBHOOK_TOKEN) return { kind: 'gone', status, code, rateLimit };
  // A 401/403/404 without Discord's error code came from something in between (an egress
  // proxy, the edge): not a word about the webhook or the message, and it may pass, so it is
  // retried like a 5xx, bounded by the attempts, max_age and the breaker (which also bounds
  // what it costs of the invalid-request budget). With Discord's code (a deleted thread,
  // missing permissions) the same request would only be refused again: dead-letter it.
  const discordSaid = code !== undefined && code !== 0;
  if (status >= 500 || status === 408 || ([401, 403, 404].includes(status) && !discordSaid)) {
    return {
      kind: 'retryable',
      status,
      reason: `HTTP ${status}`,
      retryAfterMs: retryAfterHeaderMs(headers),
      rateLimit,
    };
  }
  const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  return { kind: 'rejected', status, code, message, errors: body.errors, rateLimit };
}

/**
 * Why a request got no answer, with the error's `code` (undici's `UND_ERR_CONNECT_TIMEOUT`,
 * the system's `ECONNRESET`), the one part of it that is stable to look for.
 */
export function networkReason(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code ?? (e.cause as { code?: unknown } | undefined)?.code;
  return `${e.name}${typeof code === 'string' ? ` ${code}` : ''}: ${e.message}`;
}
