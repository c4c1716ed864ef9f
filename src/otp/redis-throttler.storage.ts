import type { Redis } from 'ioredis';
import { ThaiBulkSmsClock } from '@app/thai-bulk-sms';
import { orRedisUnavailable } from '../redis/redis-unavailable.error';
import { OtpThrottlerRecord, OtpThrottlerStorage, seconds } from './otp-throttler.storage';

/**
 * One atomic step of the fixed-window counter of ClockThrottlerStorage, in Redis: the same rules
 * (OtpThrottlerStorage: a refused hit is not counted and a block runs from the window's start),
 * on the app's clock passed in as ARGV[1] so every instance and the tests read one time source.
 * The key expires (real time) once both the window and the block are over.
 * Returns { hits, windowEndsAt - now, blocked (0/1), blockedUntil - now, windowEndsAt }.
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
  return { hits + 1, string.format('%.0f', windowEndsAt - now), 1, string.format('%.0f', blockedUntil - now), string.format('%.0f', windowEndsAt) }
end
if (not hits) or windowEndsAt <= now then
  hits = 0
  windowEndsAt = now + ttl
  blockedUntil = 0
end
local blocked = 0
if hits >= limit then
  blockedUntil = math.max(windowEndsAt, windowEndsAt - ttl + block)
  blocked = 1
else
  hits = hits + 1
end
redis.call('HSET', KEYS[1], 'hits', hits, 'windowEndsAt', string.format('%.0f', windowEndsAt), 'blockedUntil', string.format('%.0f', blockedUntil))
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.max(1, math.max(windowEndsAt, blockedUntil) - now)))
return { hits + blocked, string.format('%.0f', windowEndsAt - now), blocked, string.format('%.0f', blockedUntil - now), string.format('%.0f', windowEndsAt) }
`;

/** Takes one hit back if the key still counts the window ending at ARGV[1]; lifts its block. */
const REFUND_SCRIPT = `
local e = redis.call('HMGET', KEYS[1], 'hits', 'windowEndsAt')
local hits = tonumber(e[1])
if (not hits) or hits < 1 or tonumber(e[2]) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'hits', hits - 1, 'blockedUntil', 0)
return 1
`;

const INCREMENT = 'thaibulksmsThrottleIncrement';
const REFUND = 'thaibulksmsThrottleRefund';

type ScriptReply = [number, string, number, string, string];
type Command<T> = (...args: (string | number)[]) => Promise<T>;

/**
 * @nestjs/throttler storage in Redis, so the OTP limits hold across every instance that shares
 * REDIS_URL and REDIS_PREFIX. Same behaviour as ClockThrottlerStorage (its spec's cases run
 * against this one too); one Lua script per hit, so two instances never both pass a limit of 1.
 * Keys: `<prefix>:throttle:<throttler name>:<tracker hash>`. A Redis that fails or does not answer
 * makes the call fail closed (RedisUnavailableError, 503): nobody passes a limit nobody can count.
 */
export class RedisThrottlerStorage implements OtpThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly clock: ThaiBulkSmsClock,
    private readonly prefix: string,
  ) {
    if (!(INCREMENT in redis)) redis.defineCommand(INCREMENT, { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
    if (!(REFUND in redis)) redis.defineCommand(REFUND, { numberOfKeys: 1, lua: REFUND_SCRIPT });
  }

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<OtpThrottlerRecord> {
    const [hits, toExpire, blocked, toBlockExpire, windowEndsAt] = await orRedisUnavailable('otp-throttle', () =>
      this.command<ScriptReply>(INCREMENT).call(
        this.redis,
        this.key(key, throttlerName),
        Math.floor(this.clock.now()),
        Math.ceil(ttlMs),
        limit,
        Math.ceil(blockDurationMs),
      ),
    );
    const isBlocked = blocked === 1;
    return {
      totalHits: Number(hits),
      timeToExpire: seconds(Number(toExpire)),
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds(Number(toBlockExpire)) : 0,
      windowEndsAt: Number(windowEndsAt),
    };
  }

  async refund(key: string, throttlerName: string, windowEndsAt: number): Promise<void> {
    await orRedisUnavailable('otp-throttle', () =>
      this.command<number>(REFUND).call(this.redis, this.key(key, throttlerName), Math.floor(windowEndsAt)),
    );
  }

  private key(key: string, throttlerName: string): string {
    return `${this.prefix}:throttle:${throttlerName}:${key}`;
  }

  private command<T>(name: string): Command<T> {
    return (this.redis as unknown as Record<string, Command<T>>)[name];
  }
}
