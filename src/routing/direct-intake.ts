import type { Notification } from '../alertmanager/payload.js';
import type { HeartbeatObserver } from './heartbeat.js';
import type { Intake, IntakeAnswer } from './intake.js';
import type { RouteResult } from './router.js';

export interface DirectIntakeDeps {
  /** Routes and queues; a notification is queued for every target or refused. */
  route: (n: Notification, path: string | undefined) => RouteResult;
  /** Takes heartbeat alerts out before routing, when a heartbeat is configured. */
  heartbeat: HeartbeatObserver | undefined;
  /** Seconds Alertmanager should wait before retrying when we are full or stopping. */
  retryAfterSeconds: number;
}

/** Intake in one process: the heartbeat and the router see the notification at once. */
export class DirectIntake implements Intake {
  constructor(private readonly deps: DirectIntakeDeps) {}

  take(n: Notification, path: string | undefined): Promise<IntakeAnswer> {
    return Promise.resolve(this.#take(n, path));
  }

  #take(received: Notification, path: string | undefined): IntakeAnswer {
    const n = this.deps.heartbeat ? this.deps.heartbeat.observe(received) : received;
    if (!n) return { kind: 'heartbeat' };
    const result = this.deps.route(n, path);
    const { retryAfterSeconds } = this.deps;
    if (!result.ok) return { kind: result.reason === 'queue_full' ? 'full' : 'stopped', retryAfterSeconds };
    const firing = n.alerts.filter((a) => a.status === 'firing').length;
    return {
      kind: 'queued',
      targets: result.targets,
      routed: result.routed,
      alerts: { firing, resolved: n.alerts.length - firing },
    };
  }
}
