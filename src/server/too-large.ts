import type { ErrorRequestHandler } from 'express';
import type { Metrics } from '../metrics/metrics.js';
import type { Logger } from '../shared/logger.js';
import { bodyPrefix } from './body-prefix.js';
import { peekTopLevelStrings } from './peek-fields.js';

/** How much of a refused body is searched for its receiver and groupKey (they come first). */
export const PEEK_BYTES = 4096;

interface TooLargeError {
  type?: string;
  /** Content-Length, when the client sent one: refused before reading. */
  length?: number;
  /** Bytes read before the limit was crossed (no Content-Length). */
  received?: number;
}

/**
 * Alertmanager drops a notification answered 413 for good, so the refusal is logged with what
 * can be read of the notification, and counted; the answer itself is the app's to give.
 */
export function reportTooLarge(deps: { metrics: Metrics; log: Logger; bodyLimitBytes: number }): ErrorRequestHandler {
  return (err: TooLargeError, req, _res, next) => {
    if (err.type === 'entity.too.large') {
      deps.metrics.notificationsReceived.inc({ outcome: 'too_large' });
      const size = typeof err.length === 'number' ? { contentLength: err.length } : { bytesRead: err.received ?? null };
      const { receiver, groupKey } = peekTopLevelStrings(bodyPrefix(req), ['receiver', 'groupKey']);
      deps.log.error(
        { ...size, limit: deps.bodyLimitBytes, receiver: receiver ?? null, groupKey: groupKey ?? null },
        'notification refused: body over server.body_limit (413); Alertmanager drops it, lower max_alerts or raise the limit',
      );
    }
    next(err);
  };
}
