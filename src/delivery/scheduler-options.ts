import type { ResolvedTarget } from '../config/load.js';
import type { Clock } from '../shared/clock.js';
import type { DeliveryEvents } from './delivery-events.js';
import type { EndpointPool } from './endpoint-pool.js';
import type { JudgePolicy } from './judge-answer.js';
import type { MessagePlanner } from './message-planner.js';

/** How the scheduler sends: the limits and choices config gives it. */
export interface SchedulerPolicy extends JudgePolicy {
  /** Pack messages waiting for the same webhook into one request when the budget is short. */
  pack: boolean;
  maxAgeMs: number;
  agingMs: number;
  /** Backlog drain time beyond which a target's messages are rendered as digests (Infinity: never). */
  digestAfterMs: (target: ResolvedTarget) => number;
}

export interface SchedulerOptions {
  clock: Clock;
  /**
   * Rendering happens here, when a job is about to be sent: what to send is decided late.
   * The planner renders (in the storm format when the backlog is too long to drain in time)
   * and decides which parts are new messages and which edit ones already there.
   */
  planner: MessagePlanner;
  pool: EndpointPool;
  events: DeliveryEvents;
  policy: SchedulerPolicy;
}
