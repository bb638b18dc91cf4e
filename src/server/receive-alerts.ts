import type { RequestHandler } from 'express';
import { parseNotificationInSteps } from '../alertmanager/payload.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Intake } from '../routing/intake.js';
import { knownPaths } from '../routing/known-paths.js';
import type { RoutingConfig } from '../routing/route-alerts.js';

/** Seconds Alertmanager is asked to wait before retrying when the queue is full. */
export const RETRY_AFTER_SECONDS = 30;

const REFUSALS = {
  full: 'queue full, retry later',
  stopped: 'shutting down, retry later',
  unavailable: 'state store unreachable, retry later',
} as const;

function countAlerts(metrics: Metrics, { firing, resolved }: { firing: number; resolved: number }): void {
  if (firing > 0) metrics.alertsReceived.inc({ status: 'firing' }, firing);
  if (resolved > 0) metrics.alertsReceived.inc({ status: 'resolved' }, resolved);
}

export interface ReceiveDeps {
  config: () => RoutingConfig;
  /** Takes a valid notification: queued for every target, or refused. */
  intake: Intake;
  metrics: Metrics;
}

/**
 * POST /alerts: validate, hand to intake. 200 means queued; 400 means the payload will never
 * be valid (Alertmanager drops it); 503 means try again (Alertmanager retries 5xx).
 */
export function receiveAlerts(deps: ReceiveDeps): RequestHandler {
  return async (req, res) => {
    const config = deps.config();
    const path = typeof req.params.path === 'string' ? req.params.path : undefined;
    if (path !== undefined && !knownPaths(config).has(path)) {
      res.status(404).json({
        error: `no route listens on /alerts/${path}`,
        issues: [{ path: '(url)', message: 'unknown route path' }],
      });
      return;
    }
    // In steps: a 5,000-alert group checked at once held the event loop for 150 ms.
    const parsed = await parseNotificationInSteps(req.body);
    if (!parsed.ok) {
      deps.metrics.notificationsReceived.inc({ outcome: 'invalid' });
      res.status(400).json({ error: 'invalid Alertmanager payload', issues: parsed.issues.slice(0, 50) });
      return;
    }
    const answer = await deps.intake.take(parsed.notification, path);
    if (answer.kind === 'heartbeat') {
      deps.metrics.notificationsReceived.inc({ outcome: 'heartbeat' });
      res.status(200).json({ status: 'heartbeat', alerts: parsed.notification.alerts.length, targets: [] });
      return;
    }
    if (answer.kind === 'stored') {
      deps.metrics.notificationsReceived.inc({ outcome: 'accepted' });
      countAlerts(deps.metrics, answer.alerts);
      res.status(200).json({ status: 'stored', alerts: answer.alerts.firing + answer.alerts.resolved, targets: [] });
      return;
    }
    if (answer.kind !== 'queued') {
      deps.metrics.notificationsReceived.inc({ outcome: 'rejected' });
      res.set('retry-after', String(answer.retryAfterSeconds));
      res.status(503).json({ error: REFUSALS[answer.kind], issues: [] });
      return;
    }
    // No route matched: say so in the metrics rather than lose it without a trace.
    deps.metrics.notificationsReceived.inc({ outcome: answer.routed ? 'accepted' : 'unrouted' });
    countAlerts(deps.metrics, answer.alerts);
    const { firing, resolved } = answer.alerts;
    res.status(200).json({ status: 'queued', alerts: firing + resolved, targets: answer.targets });
  };
}
