import { FixedWindow, SlidingLog } from '../../test/emulator/ratelimit.js';
import type { WindowSpec } from '../../test/emulator/types.js';

export interface Limits {
  webhook: WindowSpec;
  channel: WindowSpec;
  global: WindowSpec;
}

export interface Message {
  /** When it could first go: the moment its notification was posted. */
  available: number;
  critical: boolean;
}

/**
 * The least time Discord's limits allow for these messages: an ideal sender that knows every
 * limit and sends each message the moment it is available and allowed (the emulator's own
 * rules, one webhook, one channel). With `criticalReserve`, it also keeps alertcord's reserve:
 * a non-critical message leaves that many channel slots free or freeing within one slot time.
 * Returns when the last message would be accepted.
 */
export function floorMs(messages: readonly Message[], limits: Limits, criticalReserve = 0): number {
  const webhook = new FixedWindow(limits.webhook);
  const channel = new SlidingLog(limits.channel);
  const { limit, windowMs } = limits.channel;
  const young =
    criticalReserve > 0
      ? new SlidingLog({ limit: limit - criticalReserve, windowMs: windowMs - windowMs / limit })
      : undefined;
  const global = new FixedWindow(limits.global);
  let t = 0;
  for (const m of [...messages].sort((a, b) => a.available - b.available)) {
    t = Math.max(t, m.available);
    for (;;) {
      const wait = Math.max(
        channel.blockedFor(t) ?? 0,
        m.critical ? 0 : (young?.blockedFor(t) ?? 0),
        webhook.state(t).remaining > 0 ? 0 : webhook.state(t).resetAfterMs,
        global.state(t).remaining > 0 ? 0 : global.state(t).resetAfterMs,
      );
      if (wait === 0) break;
      t += wait;
    }
    webhook.take(t);
    global.take(t);
    channel.record(t);
    young?.record(t);
  }
  return t;
}
