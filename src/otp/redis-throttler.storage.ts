import { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { Clock } from '../common/clock';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One atomic step of the fixed-window counter of ClockThrottlerStorage, in Redis: the same
 * semantics (hits while blocked neither count nor extend the block; a block lasts until the later
 * of the window's end and `now + blockDuration`), on the app's Clock passed in as ARGV[1] so
 * every instance and the tests read one time source. The key expires (real time) once both the
 * window and the block are over.
 * Returns { hits, windowEndsAt - now, blocked (0/1), blockedUntil - now }.
 */
const INCREMENT_SCRIPT = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local block = tonumber(ARGV[4])
local e = redis.call('HMGET', KEYS[1], 'hits', 'windowEndsAt', 'blockedUntil')
local hits = tonumber(e[1])
local windowEndsAt = tonumber(e[2])
local blockedUntil = tonumber(e[3]) or 0
if hits and blockedUntil > now then
  return { hits, string.format('%.0f', windowEndsAt - now), 1, string.format('%.0f', blockedUntil - now) }
end
if (not hits) or windowEndsAt <= now then
  hits = 0
  windowEndsAt = now + ttl
  blockedUntil = 0
end
hits = hits + 1
local blocked = 0
if hits > limit then
  blockedUntil = math.max(windowEndsAt, now + block)
  blocked = 1
end
redis.call('HSET', KEYS[1], 'hits', hits, 'windowEndsAt', string.format('%.0f', windowEndsAt), 'blockedUntil', string.format('%.0f', blockedUntil))
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.max(1, math.max(windowEndsAt, blockedUntil) - now)))
return { hits, string.format('%.0f', windowEndsAt - now), blocked, string.format('%.0f', blockedUntil - now) }
`;

const COMMAND = 'thaibulksmsThrottleIncrement';

type ScriptReply = [number, string, number, string];

/**
 * @nestjs/throttler storage in Redis, so the OTP limits hold across every instance that shares
 * REDIS_URL and REDIS_PREFIX. Same behaviour as ClockThrottlerStorage (its spec's cases run
 * against this one too); one Lua script per hit, so two instances never both pass a limit of 1.
 * Keys: `<prefix>:throttle:<throttler name>:<tracker hash>`.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly prefix: string,
  ) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
  }

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const run = (this.redis as unknown as Record<string, (...args: (string | number)[]) => Promise<ScriptReply>>)[
      COMMAND
    ];
    const [hits, toExpire, blocked, toBlockExpire] = await run.call(
      this.redis,
      `${this.prefix}:throttle:${throttlerName}:${key}`,
      Math.floor(this.clock.now()),
      Math.ceil(ttlMs),
      limit,
      Math.ceil(blockDurationMs),
    );
    const isBlocked = blocked === 1;
    return {
      totalHits: Number(hits),
      timeToExpire: seconds(Number(toExpire)),
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds(Number(toBlockExpire)) : 0,
    };
  }
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
