import type { RateLimitInfo, RateLimitScope } from './rate-limit-headers.js';

/**
 * Every outcome of a request to Discord, as a value: the delivery loop branches on it and
 * nothing throws across that loop.
 */
export type SendResult =
  | {
      kind: 'ok';
      status: number;
      messageId: string | undefined;
      channelId: string | undefined;
      rateLimit: RateLimitInfo;
    }
  | { kind: 'rateLimited'; status: 429; retryAfterMs: number; scope: RateLimitScope; rateLimit: RateLimitInfo }
  | {
      kind: 'retryable';
      status: number | undefined;
      reason: string;
      retryAfterMs: number | undefined;
      rateLimit: RateLimitInfo;
    }
  /** Discord's own 404 10015 / 401 50027: the webhook is deleted or its token revoked. Never retry. */
  | {
      kind: 'gone';
      status: 401 | 404;
      code: typeof UNKNOWN_WEBHOOK | typeof INVALID_WEBHOOK_TOKEN;
      rateLimit: RateLimitInfo;
    }
  /** 404 10008: the message to edit no longer exists. */
  | { kind: 'unknownMessage'; status: 404; rateLimit: RateLimitInfo }
  /** 400 50083: the edit's thread is archived (a forum post idle for its auto-archive duration). */
  | { kind: 'archived'; status: 400; rateLimit: RateLimitInfo }
  /** 400 and other final 4xx: a bug of ours or a misconfiguration; Discord's error tree kept. */
  | {
      kind: 'rejected';
      status: number;
      code: number | undefined;
      message: string;
      errors: unknown;
      rateLimit: RateLimitInfo;
    };

export const UNKNOWN_MESSAGE = 10008;
export const THREAD_ARCHIVED = 50083;
export const UNKNOWN_WEBHOOK = 10015;
export const INVALID_WEBHOOK_TOKEN = 50027;
