import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseNotification } from '../alertmanager/payload.js';
import type { Sample } from '../alertmanager/samples.js';
import type { DeadLetters } from '../delivery/dead-letters.js';
import { limitUsage } from '../discord/limit-usage.js';
import { redactWebhookTokens } from '../shared/redact-webhook-tokens.js';
import { renderMessages } from '../render/render-job.js';
import type { TemplateSet } from '../render/template-set.js';
import { formatPath } from '../shared/format-path.js';
import type { RenderResponse } from './render-response.js';
import type { StatusSnapshot } from './status.js';

export interface ApiDeps {
  /** The current template set (a reload may replace it). */
  templates: () => TemplateSet;
  /** Read when the page asks (once per load): the service keeps nothing only the page needs. */
  samples: () => readonly Sample[];
  status: () => StatusSnapshot;
  deadLetters: DeadLetters;
}

const renderRequestSchema = z.object({
  template: z.string().min(1).default('default'),
  payload: z.unknown(),
});

/** The JSON API the web page uses; the same render and fit code as delivery. */
export function apiV1(deps: ApiDeps, parseJsonBody: RequestHandler[]): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.get('/templates', (_req, res) => {
    res.json({ templates: deps.templates().names() });
  });

  router.get('/samples', (_req, res) => {
    res.json({ samples: deps.samples() });
  });

  // Belt and braces: the snapshot holds webhook ids only, and error details pass redaction too.
  router.get('/status', (_req, res) => {
    res.type('application/json').send(redactWebhookTokens(JSON.stringify(deps.status())));
  });

  // Dead letters carry webhook ids and alert identities, never a token.
  router.get('/dead-letters', (_req, res) => {
    const ring = deps.deadLetters;
    res.json({ total: ring.total, capacity: ring.capacity, dead_letters: [...ring.list()].reverse() });
  });

  router.post('/render', ...parseJsonBody, (req, res) => {
    const body = renderRequestSchema.safeParse(req.body);
    if (!body.success) {
      const issues = body.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
      res.status(400).json({ error: 'invalid render request', issues });
      return;
    }
    const templates = deps.templates();
    const { template, payload } = body.data;
    if (!templates.get(template)) {
      const known = templates.names().join(', ');
      res.status(400).json({
        error: 'unknown template',
        issues: [{ path: 'template', message: `unknown template "${template}" (known: ${known})` }],
      });
      return;
    }
    const parsed = parseNotification(payload);
    if (!parsed.ok) {
      // Paths inside the payload, as POST /alerts reports them.
      res.status(400).json({ error: 'invalid Alertmanager payload', issues: parsed.issues.slice(0, 50) });
      return;
    }
    const out = renderMessages(templates, { notification: parsed.notification, target: 'preview', template });
    const answer: RenderResponse = {
      template: out.template,
      templateError: out.templateError ?? null,
      messages: out.messages,
      cuts: out.cuts,
      usage: out.messages.map(limitUsage),
    };
    res.json(answer);
  });

  return router;
}
