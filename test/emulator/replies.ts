/**
 * The exact bodies and headers Discord answers with, in one place, so the app's error handling
 * is exercised against the real shapes (including the older v6 forms).
 */
import { legacyTree, type ErrorTree } from './form-errors.js';
import type { RateLimitScope } from './types.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** JSON body; absent for 204 */
  json?: unknown;
  /** non-JSON body (an edge proxy's error page) */
  text?: { body: string; type: string };
  scope?: RateLimitScope;
  /** answered by the edge: no rate-limit headers */
  edge?: boolean;
  /** what Discord's OpenAPI spec refused in the body (a 400 only) */
  specErrors?: ErrorTree;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers,
  json: body,
});

export const noContent = (): Reply => ({ status: 204, headers: {} });

export const apiError = (status: number, message: string, code: number): Reply => json(status, { message, code });

export const errors = {
  unknownWebhook: () => apiError(404, 'Unknown Webhook', 10015),
  invalidToken: () => apiError(401, 'Invalid Webhook Token', 50027),
  unknownMessage: () => apiError(404, 'Unknown Message', 10008),
  threadArchived: () => apiError(400, 'Thread is archived', 50083),
  emptyMessage: () => apiError(400, 'Cannot send an empty message', 50006),
  invalidJson: () => apiError(400, 'The request body contains invalid JSON.', 50109),
  invalidVersion: () => apiError(400, 'Invalid API version provided', 50041),
  notFound: () => apiError(404, '404: Not Found', 0),
  methodNotAllowed: () => apiError(405, '405: Method Not Allowed', 0),
};

/** 400 50035; API v6 answered the bare legacy tree instead. */
export function invalidForm(tree: ErrorTree, legacy: boolean): Reply {
  if (legacy) return json(400, legacyTree(tree));
  return json(400, { message: 'Invalid Form Body', code: 50035, errors: tree });
}

export const CHANNEL_WRITE_MESSAGE = 'The write action you are performing on the channel has hit the write rate limit.';

export interface RateLimitReply {
  retryMs: number;
  scope: RateLimitScope;
  legacy: boolean;
  /** defaults to scope === 'global' */
  global?: boolean;
  code?: number;
  message?: string;
}

/** 429: v10 gives seconds with decimals; v6 gave integer milliseconds, in body and header. */
export function rateLimited({ retryMs, scope, legacy, code, message, ...rest }: RateLimitReply): Reply {
  const global = rest.global ?? scope === 'global';
  const retry = Math.max(0, retryMs);
  const headers: Record<string, string> = { 'X-RateLimit-Scope': scope };
  if (global) headers['X-RateLimit-Global'] = 'true';
  const text = message ?? 'You are being rate limited.';
  let body: Record<string, unknown>;
  if (legacy) {
    const ms = Math.ceil(retry);
    headers['Retry-After'] = String(ms);
    body = { global, message: text, retry_after: ms };
  } else {
    headers['Retry-After'] = String(Math.ceil(retry / 1000));
    body = { message: text, retry_after: Math.ceil(retry) / 1000, global };
  }
  if (code !== undefined) body.code = code;
  return { ...json(429, body, headers), scope };
}

const BAD_GATEWAY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

/** 500 from the API itself (JSON); 502/503 from the edge (not JSON, no rate-limit headers). */
export function serverError(status: 500 | 502 | 503): Reply {
  if (status === 500) return json(500, { message: '500: Internal Server Error', code: 0 });
  if (status === 502) return { status, headers: {}, text: { body: BAD_GATEWAY, type: 'text/html' }, edge: true };
  return {
    status,
    headers: {},
    text: {
      body: 'upstream connect error or disconnect/reset before headers. reset reason: overflow',
      type: 'text/plain',
    },
    edge: true,
  };
}

/** What an egress proxy or the edge answers on its own: an HTML page, no Discord error code. */
export function proxyAnswer(status: number): Reply {
  const page = `<html>\r\n<head><title>${status}</title></head>\r\n<body><center><h1>${status}</h1></center><hr><center>nginx</center></body>\r\n</html>\r\n`;
  return { status, headers: {}, text: { body: page, type: 'text/html' }, edge: true };
}
