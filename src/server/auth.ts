import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { ReceiverAuth } from '../config/load.js';

/**
 * Compares digests rather than the secrets themselves: equal lengths for timingSafeEqual,
 * and no early exit that would leak how much of a guess was right.
 */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function isAuthorized(header: string | undefined, auth: ReceiverAuth): boolean {
  if (!header) return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const credentials = header.slice(space + 1).trim();
  if (scheme === 'bearer' && auth.bearerToken !== undefined) return sameSecret(credentials, auth.bearerToken);
  if (scheme === 'basic' && auth.basic !== undefined) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    // Evaluate both comparisons: no shortcut on a wrong username.
    const userOk = sameSecret(decoded.slice(0, colon), auth.basic.username);
    const passwordOk = sameSecret(decoded.slice(colon + 1), auth.basic.password);
    return userOk && passwordOk;
  }
  return false;
}

/** What a client may use, for WWW-Authenticate. */
export function challenges(auth: ReceiverAuth): string[] {
  const out: string[] = [];
  if (auth.bearerToken !== undefined) out.push('Bearer realm="alertcord"');
  if (auth.basic !== undefined) out.push('Basic realm="alertcord", charset="UTF-8"');
  return out;
}

/** Reads the current auth on every request, so a config reload takes effect at once. */
export function requireAuth(current: () => ReceiverAuth | undefined): RequestHandler {
  return (req, res, next) => {
    const auth = current();
    if (!auth || isAuthorized(req.get('authorization'), auth)) return next();
    res.set('www-authenticate', challenges(auth).join(', '));
    res.status(401).json({
      error: 'unauthorized',
      issues: [{ path: '(header) authorization', message: 'missing or wrong credentials' }],
    });
  };
}
