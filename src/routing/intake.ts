import type { Notification } from '../alertmanager/payload.js';

/** What intake answers for a notification; the receiver turns it into Alertmanager's status code. */
export type IntakeAnswer =
  | {
      kind: 'queued';
      targets: string[];
      /** False when no route matched any of its alerts. */
      routed: boolean;
      /** The alerts taken in (heartbeat alerts are not counted), by status. */
      alerts: { firing: number; resolved: number };
    }
  /** Appended to the shared stream: the dispatcher routes it (heartbeat alerts included). */
  | { kind: 'stored'; alerts: { firing: number; resolved: number } }
  /** Only heartbeat alerts: seen, nothing to deliver. */
  | { kind: 'heartbeat' }
  | { kind: 'full'; retryAfterSeconds: number }
  | { kind: 'stopped'; retryAfterSeconds: number }
  /** The shared store cannot be reached: nothing was kept. */
  | { kind: 'unavailable'; retryAfterSeconds: number };

/**
 * Where POST /alerts hands a valid notification. In one process it goes straight to the
 * router; with a shared store it is appended to a stream that the dispatcher reads. Either
 * way "queued" or "stored" means it will not be lost, and "full", "stopped" or "unavailable"
 * that Alertmanager must send it again.
 */
export interface Intake {
  take(n: Notification, path: string | undefined): Promise<IntakeAnswer>;
}
