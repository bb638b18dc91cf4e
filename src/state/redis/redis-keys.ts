import type { StateSpace } from '../journal.js';

/** Every key alertcord writes, under one prefix (`state.redis.key_prefix`). */
export interface RedisKeys {
  /** The dispatcher lease: "token|holder", with a PX expiry. */
  lease: string;
  /** The fencing counter: INCR on every acquisition, so tokens only grow. */
  leaseToken: string;
  /** The intake stream. */
  intake: string;
  /** One journal entry. */
  entry(space: StateSpace, key: string): string;
  /** A space's index: a sorted set of its keys by expiry time (ms; +inf without a TTL). */
  index(space: StateSpace): string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    lease: `${prefix}dispatcher:lease`,
    leaseToken: `${prefix}dispatcher:token`,
    intake: `${prefix}intake`,
    entry: (space, key) => `${prefix}state:${space}:${key}`,
    index: (space) => `${prefix}state-index:${space}`,
  };
}
