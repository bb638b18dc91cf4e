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

/** Why a request was refused: a bounded set, fit for a metric label; never the credentials. */
export type AuthFailure = 'missing' | 'wrong_scheme' | 'bad_credentials';
export type AuthCheck = { ok: true } | { ok: false; reason: AuthFailure };

const refused = (reason: AuthFailure): AuthCheck => ({ ok: false, reason });

export function checkAuth(header: string | undefined, auth: ReceiverAuth): AuthCheck {
  if (!header?.trim()) return refused('missing');
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const credentials = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer' && auth.bearerToken !== undefined)
    return sameSecret(credentials, auth.bearerToken) ? { ok: true } : refused('bad_credentials');
  if (scheme === 'basic' && auth.basic !== undefined) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return refused('bad_credentials');
    // Evaluate both comparisons: no shortcut on a wrong username.
    const userOk = sameSecret(decoded.slice(0, colon), auth.basic.username);
    const passwordOk = sameSecret(decoded.slice(colon + 1), auth.basic.password);
    return userOk && passwordOk ? { ok: true } : refused('bad_credentials');
  }
  return refused('wrong_scheme');
}

/** What a client may use, for WWW-Authenticate. */
export function challenges(auth: ReceiverAuth): string[] {
  const out: string[] = [];
  if (auth.bearerToken !== undefined) out.push('Bearer realm="alertcord"');
  if (auth.basic !== undefined) out.push('Basic realm="alertcord", charset="UTF-8"');
  return out;
}

/** Reads the current auth on every request, so a config reload takes effect at once. */
export function requireAuth(
  current: () => ReceiverAuth | undefined,
  onRefused: (reason: AuthFailure) => void,
): RequestHandler {
  return (req, res, next) => {
    const auth = current();
    if (!auth) return next();
    const check = checkAuth(req.get('authorization'), auth);
    if (check.ok) return next();
    onRefused(check.reason);
    res.set('www-authenticate', challenges(auth).join(', '));
    res.status(401).json({
      error: 'unauthorized',
      issues: [{ path: '(header) authorization', message: 'missing or wrong credentials' }],
    });
  };
}
