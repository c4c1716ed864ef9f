import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ThaiBulkSmsClock } from '@app/thai-bulk-sms';
import type { OtpConfig } from '../config/namespaces/otp.config';
import { orRedisUnavailable } from '../redis/redis-unavailable.error';

/**
 * Remembers the OTP tokens this app issued and counts verify attempts per token. After
 * `OTP_VERIFY_MAX_ATTEMPTS` attempts a token is dead, even if the right PIN comes next; unknown,
 * expired, used and dead tokens all get the same answer. Two implementations: in memory (one
 * instance only; the default) and in Redis (every instance sharing REDIS_URL counts together).
 */
export abstract class OtpTokenRegistry {
  abstract issued(token: string): Promise<void>;
  /** Counts one attempt; false when the token is unknown, expired or out of attempts. */
  abstract tryAttempt(token: string): Promise<boolean>;
  /** The token was used or the vendor says it expired: it can never be verified again. */
  abstract retire(token: string): Promise<void>;
}

interface TokenState {
  attempts: number;
  readonly expiresAt: number;
}

/** In memory: one instance only. */
export class InMemoryOtpTokenRegistry extends OtpTokenRegistry {
  private readonly tokens = new Map<string, TokenState>();
  private readonly maxAttempts: number;
  private readonly ttlMs: number;

  constructor(
    otp: OtpConfig,
    private readonly clock: ThaiBulkSmsClock,
  ) {
    super();
    this.maxAttempts = otp.verifyMaxAttempts;
    this.ttlMs = otp.tokenTtlSeconds * 1000;
  }

  async issued(token: string): Promise<void> {
    const now = this.clock.now();
    this.sweep(now);
    this.tokens.set(token, { attempts: 0, expiresAt: now + this.ttlMs });
  }

  async tryAttempt(token: string): Promise<boolean> {
    const state = this.tokens.get(token);
    if (!state) return false;
    if (state.expiresAt <= this.clock.now() || state.attempts >= this.maxAttempts) {
      this.tokens.delete(token);
      return false;
    }
    state.attempts += 1;
    return true;
  }

  async retire(token: string): Promise<void> {
    this.tokens.delete(token);
  }

  get size(): number {
    return this.tokens.size;
  }

  private lastSweep = 0;

  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [token, state] of this.tokens) if (state.expiresAt <= now) this.tokens.delete(token);
  }
}

/**
 * Counts one attempt atomically: refuses (and deletes) an unknown, expired or exhausted token,
 * else adds one. Expiry is judged on the app's clock (ARGV[1]) like the in-memory registry;
 * the key's own Redis TTL only reclaims memory.
 */
const TRY_ATTEMPT_SCRIPT = `
local e = redis.call('HMGET', KEYS[1], 'attempts', 'expiresAt')
if not e[1] then return 0 end
if tonumber(e[2]) <= tonumber(ARGV[1]) or tonumber(e[1]) >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return 0
end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return 1
`;
const COMMAND = 'thaibulksmsOtpTryAttempt';

/**
 * In Redis, so the attempt limit holds across instances: five attempts per token in total,
 * whichever instances they reach. Keys: `<prefix>:otp-token:<sha256 of the token>` (the token
 * itself is not stored), expiring with the token. Without Redis every call fails closed
 * (RedisUnavailableError, 503): no token is verified whose attempts nobody can count.
 */
export class RedisOtpTokenRegistry extends OtpTokenRegistry {
  private readonly maxAttempts: number;
  private readonly ttlMs: number;

  constructor(
    otp: OtpConfig,
    private readonly clock: ThaiBulkSmsClock,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
    this.maxAttempts = otp.verifyMaxAttempts;
    this.ttlMs = otp.tokenTtlSeconds * 1000;
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TRY_ATTEMPT_SCRIPT });
  }

  async issued(token: string): Promise<void> {
    const key = this.key(token);
    await orRedisUnavailable('otp-token', () =>
      this.redis
        .multi()
        .hset(key, 'attempts', 0, 'expiresAt', Math.floor(this.clock.now() + this.ttlMs))
        .pexpire(key, this.ttlMs)
        .exec(),
    );
  }

  async tryAttempt(token: string): Promise<boolean> {
    const run = (this.redis as unknown as Record<string, (...args: (string | number)[]) => Promise<number>>)[COMMAND];
    const answer = await orRedisUnavailable('otp-token', () =>
      run.call(this.redis, this.key(token), Math.floor(this.clock.now()), this.maxAttempts),
    );
    return answer === 1;
  }

  async retire(token: string): Promise<void> {
    await orRedisUnavailable('otp-token', () => this.redis.del(this.key(token)));
  }

  private key(token: string): string {
    return `${this.prefix}:otp-token:${createHash('sha256').update(token).digest('base64url')}`;
  }
}
