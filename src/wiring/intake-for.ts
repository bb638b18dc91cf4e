import { DirectIntake } from '../routing/direct-intake.js';
import type { Intake } from '../routing/intake.js';
import type { Router } from '../routing/router.js';
import { RETRY_AFTER_SECONDS } from '../server/receive-alerts.js';
import type { HeartbeatWatch } from './heartbeat-watch.js';

/** Where POST /alerts hands a notification: the shared stream with Redis, else straight to routing. */
export function intakeFor(shared: Intake | undefined, router: Router, heartbeat: HeartbeatWatch | undefined): Intake {
  return (
    shared ??
    new DirectIntake({
      route: (n, path) => router.receive(n, path),
      heartbeat: heartbeat?.heartbeat,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    })
  );
}
