import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import type { ReceiverAuth } from '../config/load.js';
import type { Logger } from '../shared/logger.js';
import { apiV1, type ApiDeps } from './api-v1.js';
import { requireAuth } from './auth.js';
import { keepingBodyPrefix } from './body-prefix.js';
import { receiveAlerts, type ReceiveDeps } from './receive-alerts.js';
import { routeLabel } from './route-label.js';
import { PEEK_BYTES, reportTooLarge } from './too-large.js';
import { uiRouter } from './ui.js';

export interface AppDeps extends ReceiveDeps, ApiDeps {
  registry: Registry;
  log: Logger;
  bodyLimitBytes: number;
  isReady: () => boolean;
  /** Current receiver credentials (a reload may change them); undefined: no auth. */
  auth: () => ReceiverAuth | undefined;
  /** Serve the web page under /ui/ (config ui.enabled): asked per request, so a reload applies. */
  uiEnabled: () => boolean;
}

/** Builds the HTTP app; main.ts listens. No I/O here beyond the request itself. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const route = routeLabel(req.path);
    res.once('finish', () => deps.metrics.httpRequests.inc({ route, code: String(res.statusCode) }));
    next();
  });

  const auth = requireAuth(deps.auth, (reason) => deps.metrics.authFailures.inc({ reason }));
  const authIf =
    (flag: 'protectHealth' | 'protectMetrics'): express.RequestHandler =>
    (req, res, next) =>
      deps.auth()?.[flag] ? auth(req, res, next) : next();
  // Everything under /api and /ui is behind the receiver's credentials when they are set.
  app.use(['/api', '/ui'], auth);

  app.get(['/healthz', '/readyz'], authIf('protectHealth'));
  app.get('/metrics', authIf('protectMetrics'));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (deps.isReady()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'shutting down' });
  });
  app.get('/metrics', async (_req, res) => {
    res.set('content-type', deps.registry.contentType).send(await deps.registry.metrics());
  });

  // A "__proto__" key is dropped while parsing: no object we build can inherit from input.
  const json = express.json({
    limit: deps.bodyLimitBytes,
    strict: true,
    type: () => true,
    reviver: (key, value: unknown) => (key === '__proto__' ? undefined : value),
  });
  const requireJson = (req: Request, res: Response, next: () => void) => {
    // 415, not 400: the body may be fine, but we only speak JSON.
    if (!req.is('application/json') && !req.is('application/*+json')) {
      res.status(415).json({ error: 'unsupported content type: send application/json', issues: [] });
      return;
    }
    next();
  };
  // Credentials before the body is read: an unauthenticated client cannot make us parse 4 MiB.
  app.post(
    ['/alerts', '/alerts/:path'],
    auth,
    requireJson,
    keepingBodyPrefix(json, PEEK_BYTES),
    receiveAlerts(deps),
    reportTooLarge(deps),
  );
  app.use('/api/v1', apiV1(deps, [requireJson, json]));
  const ui = uiRouter();
  app.use('/ui', (req, res, next) => (deps.uiEnabled() ? ui(req, res, next) : next()));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found', issues: [] });
  });
  app.use(bodyErrors(deps.log));
  return app;
}

/** body-parser errors as clear answers; anything else is a 500 without internals. */
function bodyErrors(log: Logger): ErrorRequestHandler {
  return (err: { type?: string; status?: number; message?: string }, _req, res, _next) => {
    if (err.type === 'entity.too.large') {
      res
        .status(413)
        .json({ error: 'payload too large', issues: [{ path: '(body)', message: err.message ?? 'too large' }] });
      return;
    }
    if (err.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'invalid JSON', issues: [{ path: '(body)', message: err.message ?? 'not JSON' }] });
      return;
    }
    if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
      res.status(415).json({ error: 'unsupported encoding', issues: [{ path: '(body)', message: err.message ?? '' }] });
      return;
    }
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: err.message ?? 'bad request', issues: [] });
      return;
    }
    log.error({ err }, 'unexpected error while handling a request');
    res.status(500).json({ error: 'internal error', issues: [] });
  };
}
