import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** The part of an ioredis client the gate uses. */
export interface GateRedis {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * The account rate both scripts use: the queue's global rate limit in its meta hash (BullMQ's
 * `max` per `duration` ms, as requests per second), so the gate and BullMQ's limiter always
 * agree; ARGV[1] (this instance's maxTps) only stands in while no global limit is set.
 */
const RATE = `
local tps = tonumber(ARGV[1])
local limit = redis.call('HMGET', KEYS[2], 'max', 'duration')
if limit[1] and limit[2] then
  tps = math.max(1, math.floor(tonumber(limit[1]) * 1000 / tonumber(limit[2])))
end
local windowMs = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
`;

/**
 * Pacing, on Redis' own clock (TIME) so every instance reads the same time: hands out wake-up
 * times `windowMs / tps` ms apart (KEYS[3] holds the next free one) and answers how many ms from
 * now this caller's is. Only spreads the callers out so that the departure check mostly says "go"
 * at once; it guarantees nothing.
 */
const PACE_SCRIPT = `${RATE}
local at = math.max(now, tonumber(redis.call('GET', KEYS[3]) or '0'))
redis.call('SET', KEYS[3], string.format('%.3f', at + windowMs / tps), 'PX', math.ceil(at - now + windowMs * 2))
return string.format('%.3f', at - now)
`;

/**
 * The rule, checked at the moment of departure: at most `tps` requests in any `windowMs`. KEYS[1]
 * is a sorted set of requests (member ARGV[3], score a Redis time), holding the `tps` latest.
 * Room: this request is added at now and the script answers 0; no room: it answers how long until
 * the `tps`-th latest leaves the window.
 */
const DEPART_SCRIPT = `${RATE}
local key = KEYS[1]
local kth = redis.call('ZREVRANGE', key, tps - 1, tps - 1, 'WITHSCORES')
if kth[2] then
  local free = tonumber(kth[2]) + windowMs
  if free > now then return string.format('%.3f', free - now) end
end
redis.call('ZADD', key, now, ARGV[3])
redis.call('ZREMRANGEBYRANK', key, 0, -(tps + 1))
redis.call('PEXPIRE', key, windowMs * 2)
return '0'
`;

/**
 * Moves a request's time forward to now, once its answer (or failure) is in: a time the API's
 * own stamp of it cannot be later than. Does nothing to a request already dropped from the set.
 */
const SETTLE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) < now then redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1]) end
return 0
`;

/** A request let through by the gate: settle it once its answer or failure is in. */
export interface GatePass {
  settle(): Promise<void>;
}

/**
 * The account's requests-per-second limit, shared by every worker of every instance through
 * Redis: a request leaves only while fewer than `maxTps` requests are counted in the last
 * `1000 + marginMs` ms of Redis' clock, each counted at its departure and again at its answer.
 * Why: BullMQ's global rate limit counts jobs in windows that start with the first job, so two
 * windows' sends can meet in one of the vendor's seconds (docs/decisions.md, "The queue's
 * account rate gate"; figures in the library README, "How the account limit holds").
 */
export class AccountRateGate {
  private readonly windowMs: number;
  private readonly keys: readonly [string, string, string];

  constructor(
    private readonly redis: () => Promise<GateRedis>,
    /** The gate's keys: `<prefix>:<queue>:account-rate` (the requests) and `…:account-rate:next`. */
    key: string,
    /** The queue's meta hash, where BullMQ keeps the global rate limit. */
    metaKey: string,
    /** Used only while the queue has no global rate limit (someone removed it). */
    private readonly fallbackTps: number,
    marginMs: number,
  ) {
    this.windowMs = 1000 + marginMs;
    this.keys = [key, metaKey, `${key}:next`];
  }

  /**
   * Resolves when this request may leave, and counts it as left: a request counted stays counted
   * even if the send then fails or its worker dies, so the account is never charged more than the
   * count says. Settle the pass when the send is over, whatever its outcome.
   */
  async acquire(): Promise<GatePass> {
    const redis = await this.redis();
    const id = randomUUID();
    const run = async (script: string) =>
      Number(await redis.eval(script, 3, ...this.keys, this.fallbackTps, this.windowMs, id));
    const paced = await run(PACE_SCRIPT);
    if (paced > 0) await sleep(Math.ceil(paced));
    for (;;) {
      const waitMs = await run(DEPART_SCRIPT);
      if (waitMs <= 0) break;
      await sleep(Math.ceil(waitMs));
    }
    const key = this.keys[0];
    return { settle: async () => void (await redis.eval(SETTLE_SCRIPT, 1, key, id)) };
  }
}
