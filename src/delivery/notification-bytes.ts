import type { Alert, Notification } from '../alertmanager/payload.js';
import { jsonSize } from '../shared/json-size.js';

// Targets that get different subsets of a group share the alert objects: each is measured once.
const measured = new WeakMap<Alert, number>();

function alertBytes(a: Alert): number {
  let bytes = measured.get(a);
  if (bytes === undefined) {
    bytes = jsonSize(a);
    measured.set(a, bytes);
  }
  return bytes;
}

/**
 * A notification's share of `delivery.queue_bytes_limit`: about its JSON size, estimated
 * from its values' lengths instead of serialising it again (a 5,000-alert storm took
 * 50-90 ms of JSON.stringify per enqueue, all of it blocking the event loop).
 */
export function notificationBytes(n: Notification): number {
  let bytes = jsonSize({ ...n, alerts: [] });
  for (const a of n.alerts) bytes += alertBytes(a) + 1;
  return bytes;
}
