import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** The page's static files: `ui/` at the package root, served as they are (no build step). */
export const UI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../ui');

/**
 * Only our own files may run or load: no inline script or style, no third-party origin, no
 * framing. Alert text reaches the page as data and is inserted as text, never as markup.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function uiRouter(): Router {
  const router = Router();
  router.use((req, res, next) => {
    res.set({
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    // "/ui" → "ui/": relative, so it also works behind a proxy that mounts us under a prefix;
    // the page's own links are relative to the trailing slash.
    if (req.originalUrl === '/ui' || req.originalUrl.startsWith('/ui?')) {
      res.redirect(301, 'ui/');
      return;
    }
    next();
  });
  router.use(express.static(UI_DIR, { index: 'index.html', dotfiles: 'ignore', redirect: false, maxAge: 0 }));
  return router;
}
