import type { Redis, Result } from 'ioredis';

/**
 * The Lua scripts: each runs atomically in Redis, so a check and the write it guards cannot be
 * split by another client. ioredis sends them by SHA and loads them on NOSCRIPT.
 */
const scripts = {
  /** KEYS: lease, token counter. ARGV: holder, ttl ms. The new "token|holder", or nil when held. */
  alertcordLeaseAcquire: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local fence = redis.call('INCR', KEYS[2]) .. '|' .. ARGV[1]
redis.call('SET', KEYS[1], fence, 'PX', ARGV[2])
return fence`,
  },
  /** KEYS: lease. ARGV: fence, ttl ms. 1 when still ours (extended), 0 when not. */
  alertcordLeaseRenew: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`,
  },
  /** KEYS: lease. ARGV: fence. Deletes it only when it is still ours. */
  alertcordLeaseRelease: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`,
  },
  /**
   * KEYS: lease, then per change its entry key and its space's index. ARGV: fence, the cap of a
   * space, then per change op ('put' | 'del'), key, value, ttl ms (0: none). 0 when the lease is
   * not the writer's (fenced: nothing written), else 1. Expired keys leave the indexes it
   * touched; beyond the cap, the entries closest to expiry are evicted. Entry keys are derived
   * from index members here, so this needs one Redis (or Sentinel), not a Redis Cluster.
   */
  alertcordJournalWrite: {
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local cap = tonumber(ARGV[2])
local touched = {}
for i = 0, (#KEYS - 1) / 2 - 1 do
  local entry, index = KEYS[2 + 2 * i], KEYS[3 + 2 * i]
  local op, key, value, ttl = ARGV[3 + 4 * i], ARGV[4 + 4 * i], ARGV[5 + 4 * i], tonumber(ARGV[6 + 4 * i])
  if op == 'put' then
    if ttl > 0 then
      redis.call('SET', entry, value, 'PX', ttl)
      redis.call('ZADD', index, now + ttl, key)
    else
      redis.call('SET', entry, value)
      redis.call('ZADD', index, '+inf', key)
    end
  else
    redis.call('DEL', entry)
    redis.call('ZREM', index, key)
  end
  touched[index] = string.sub(entry, 1, #entry - #key)
end
for index, entryPrefix in pairs(touched) do
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
  local over = redis.call('ZCARD', index) - cap
  if over > 0 then
    local evicted = redis.call('ZPOPMIN', index, over)
    for j = 1, #evicted, 2 do redis.call('DEL', entryPrefix .. evicted[j]) end
  end
end
return 1`,
  },
  /** KEYS: stream. ARGV: max length, then field, value pairs. The entry id, or nil when full. */
  alertcordIntakeAppend: {
    numberOfKeys: 1,
    lua: `
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return false end
return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))`,
  },
} as const;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    alertcordLeaseAcquire(
      lease: string,
      counter: string,
      holder: string,
      ttlMs: number,
    ): Result<string | null, Context>;
    alertcordLeaseRenew(lease: string, fence: string, ttlMs: number): Result<number, Context>;
    alertcordLeaseRelease(lease: string, fence: string): Result<number, Context>;
    alertcordJournalWrite(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Result<number, Context>;
    alertcordIntakeAppend(stream: string, maxLength: number, ...fields: string[]): Result<string | null, Context>;
  }
}

/** Defines the scripts as commands of a connection (connectRedis does it for every one). */
export function installScripts(redis: Redis): void {
  for (const [name, definition] of Object.entries(scripts)) redis.defineCommand(name, definition);
}
