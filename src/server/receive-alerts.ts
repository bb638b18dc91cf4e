import type { RequestHandler } from 'express';
import { parseNotificationInSteps } from '../alertmanager/payload.js';
import type { Notification } from '../alertmanager/payload.js';
import type { Metrics } from '../metrics/metrics.js';
import { knownPaths } from '../routing/known-paths.js';
import type { RoutingConfig } from '../routing/route-alerts.js';
import type { RouteResult } from '../routing/router.js';

export interface ReceiveDeps {
  config: () => RoutingConfig;
  /** Routes and queues; a notification is queued for every target or refused. */
  route: (n: Notification, path: string | undefined) => RouteResult;
  metrics: Metrics;
  /** Takes heartbeat alerts out of a notification; undefined when nothing is left. */
  observeHeartbeat?: (n: Notification) => Notification | undefined;
}

/** Seconds Alertmanager is asked to wait before retrying when the queue is full. */
export const RETRY_AFTER_SECONDS = 30;

/**
 * POST /alerts: validate, route, queue. 200 means queued; 400 means the payload will never
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
    const notification = deps.observeHeartbeat ? deps.observeHeartbeat(parsed.notification) : parsed.notification;
    if (!notification) {
      deps.metrics.notificationsReceived.inc({ outcome: 'heartbeat' });
      res.status(200).json({ status: 'heartbeat', alerts: parsed.notification.alerts.length, targets: [] });
      return;
    }
    const result = deps.route(notification, path);
    if (!result.ok) {
      deps.metrics.notificationsReceived.inc({ outcome: 'rejected' });
      res.set('retry-after', String(RETRY_AFTER_SECONDS));
      res.status(503).json({
        error: result.reason === 'queue_full' ? 'queue full, retry later' : 'shutting down, retry later',
        issues: [],
      });
      return;
    }
    // No route matched: say so in the metrics rather than lose it without a trace.
    deps.metrics.notificationsReceived.inc({ outcome: result.routed ? 'accepted' : 'unrouted' });
    for (const a of notification.alerts) deps.metrics.alertsReceived.inc({ status: a.status });
    res.status(200).json({ status: 'queued', alerts: notification.alerts.length, targets: result.targets });
  };
}
