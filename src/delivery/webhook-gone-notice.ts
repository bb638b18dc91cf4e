import type { Notification } from '../alertmanager/payload.js';

/**
 * The notice posted to a target's `fallback_target` when one of its webhooks is deleted or
 * its token revoked: an alert of alertcord's own, rendered like any other.
 */
export function webhookGoneNotice(
  target: string,
  webhookId: string,
  detail: string,
  remaining: number,
  now: number,
): Notification {
  const labels = { alertname: 'DiscordWebhookGone', severity: 'critical', target, webhook_id: webhookId };
  const annotations = {
    summary: `Webhook ${webhookId} of target ${target} was taken out of rotation`,
    description:
      `${detail}. ${remaining} webhook(s) of the target remain in rotation` +
      (remaining === 0 ? ': its messages are dead-lettered' : '') +
      ". Replace the webhook URL in alertcord's configuration.",
  };
  return {
    version: '4',
    groupKey: `alertcord:webhook-gone:${webhookId}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'alertcord',
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: '',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations,
        startsAt: new Date(now).toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: `alertcord-webhook-gone-${webhookId}`,
      },
    ],
  };
}
