/** What one response taught about its bucket (developers/topics/rate-limits.mdx). */
export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  /** Milliseconds until the bucket refills, from X-RateLimit-Reset-After. */
  resetAfterMs?: number;
  bucket?: string;
}

export type RateLimitScope = 'user' | 'global' | 'shared';

type HeaderValue = string | string[] | undefined;
type Headers = Record<string, HeaderValue>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function parseRateLimitHeaders(headers: Headers): RateLimitInfo {
  const info: RateLimitInfo = {};
  const limit = num(header(headers, 'x-ratelimit-limit'));
  const remaining = num(header(headers, 'x-ratelimit-remaining'));
  const resetAfter = num(header(headers, 'x-ratelimit-reset-after'));
  const bucket = header(headers, 'x-ratelimit-bucket');
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  if (resetAfter !== undefined) info.resetAfterMs = Math.ceil(resetAfter * 1000);
  if (bucket) info.bucket = bucket;
  return info;
}

export function parseScope(headers: Headers, bodyGlobal: unknown): RateLimitScope {
  const scope = header(headers, 'x-ratelimit-scope');
  if (scope === 'global' || scope === 'shared' || scope === 'user') return scope;
  if (bodyGlobal === true || header(headers, 'x-ratelimit-global') === 'true') return 'global';
  return 'user';
}

/**
 * How long a 429 asks us to wait. The body's `retry_after` is the precise figure and wins
 * over the headers. API v10 gives seconds; v6 (the unversioned path) gave milliseconds —
 * recognised by the path version, or by a value far above the whole-second Retry-After header.
 */
export function retryAfterMs(headers: Headers, body: unknown, apiVersion: number): number {
  const headerSeconds = num(header(headers, 'retry-after'));
  const raw = typeof body === 'object' && body !== null ? (body as { retry_after?: unknown }).retry_after : undefined;
  if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) {
    const looksLikeMs = apiVersion <= 6 || (headerSeconds !== undefined && raw > Math.max(headerSeconds, 1) * 10);
    return Math.ceil(looksLikeMs ? raw : raw * 1000);
  }
  if (headerSeconds !== undefined) return Math.ceil(headerSeconds * 1000);
  return 1000;
}

/** 5xx and 503 may carry Retry-After in whole seconds. */
export function retryAfterHeaderMs(headers: Headers): number | undefined {
  const seconds = num(header(headers, 'retry-after'));
  return seconds === undefined ? undefined : Math.ceil(seconds * 1000);
}
