import type { Notification } from '../alertmanager/payload.js';
import type { Intake, IntakeAnswer } from '../routing/intake.js';
import type { RedisIntake } from '../state/redis/redis-intake.js';

/** Alertmanager retries a refused notification after this long: Redis comes back within seconds. */
export const STREAM_RETRY_AFTER_SECONDS = 5;

/**
 * Intake with a shared stream: any replica appends the validated notification; the dispatcher
 * routes it (and sees the heartbeat in it). 200 only once the append is confirmed.
 */
export class StreamIntake implements Intake {
  constructor(private readonly stream: Pick<RedisIntake, 'append'>) {}

  async take(n: Notification, path: string | undefined): Promise<IntakeAnswer> {
    const appended = await this.stream.append({ notification: n, receiverPath: path, receivedAt: Date.now() });
    const retryAfterSeconds = STREAM_RETRY_AFTER_SECONDS;
    if (!appended.ok) return { kind: appended.reason, retryAfterSeconds };
    const firing = n.alerts.filter((a) => a.status === 'firing').length;
    return { kind: 'stored', alerts: { firing, resolved: n.alerts.length - firing } };
  }
}
