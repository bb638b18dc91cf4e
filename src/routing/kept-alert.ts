import type { Alert, Notification } from '../alertmanager/payload.js';
import { jsonSize } from '../shared/json-size.js';

/**
 * What a later post needs of the notification an alert came in: the group's identity and
 * the fields a template sees that no alert carries. Status and common labels are recomputed
 * for the alerts posted, so they are not kept; nor are extra fields or the other alerts.
 */
export type GroupFrame = Pick<
  Notification,
  'version' | 'groupKey' | 'truncatedAlerts' | 'receiver' | 'groupLabels' | 'externalURL'
>;

/** An alert kept in memory for a later post (held for active hours, waiting to escalate). */
export interface KeptAlert {
  frame: GroupFrame;
  alert: Alert;
  /** Its share of the delivery queue's byte budget: about the JSON size of alert and frame. */
  bytes: number;
}

/** Keeps alerts of one notification; the frame is built and measured once for all of them. */
export function alertKeeper(n: Notification): (alert: Alert) => KeptAlert {
  const { version, groupKey, truncatedAlerts, receiver, groupLabels, externalURL } = n;
  const frame: GroupFrame = { version, groupKey, truncatedAlerts, receiver, groupLabels, externalURL };
  const frameBytes = jsonSize(frame);
  const kept = new Map<Alert, KeptAlert>();
  return (a) => {
    let k = kept.get(a);
    if (!k) {
      const { status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint } = a;
      const alert: Alert = {
        status,
        labels,
        annotations,
        startsAt,
        ...(endsAt !== undefined ? { endsAt } : {}),
        generatorURL,
        fingerprint,
      };
      k = { frame, alert, bytes: frameBytes + jsonSize(alert) };
      kept.set(a, k);
    }
    return k;
  };
}

/** Memory kept for later posts, counted against the delivery queue's limits. */
export interface Usage {
  entries: number;
  bytes: number;
}
