import { SmsQueueRateLimitMismatchError } from '../errors';

/** The part of an ioredis client the claim uses. */
export interface ClaimRedis {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * One atomic step on the queue's meta hash, in the fields BullMQ's `setGlobalRateLimit` writes and
 * its move-to-active script reads (`max`, `duration`): writes ours when none is set, and answers
 * what is stored either way. Atomic, so two instances that start at once with different values
 * cannot both believe they set it.
 */
const CLAIM_SCRIPT = `
local stored = redis.call('HMGET', KEYS[1], 'max', 'duration')
if not stored[1] and not stored[2] then
  redis.call('HSET', KEYS[1], 'max', ARGV[1], 'duration', ARGV[2])
  return { ARGV[1], ARGV[2], 1 }
end
return { stored[1] or '', stored[2] or '', 0 }
`;

export interface GlobalRateLimit {
  readonly max: number;
  readonly duration: number;
}

/**
 * Makes BullMQ's global rate limit of the queue (`max` jobs per `duration` ms, kept in Redis and
 * read by every worker of every instance on each move to active) the single source of the account
 * rate: written by the first instance, checked by every later one. A mismatch fails bootstrap
 * with SmsQueueRateLimitMismatchError instead of running an instance whose options say one rate
 * while its workers run at another. Answers whether this call wrote the limit.
 */
export async function claimGlobalRateLimit(
  redis: ClaimRedis,
  metaKey: string,
  queueName: string,
  wanted: GlobalRateLimit,
): Promise<boolean> {
  const [max, duration, wrote] = (await redis.eval(CLAIM_SCRIPT, 1, metaKey, wanted.max, wanted.duration)) as [
    string,
    string,
    number,
  ];
  const stored = { max: Number(max), duration: Number(duration) };
  if (stored.max !== wanted.max || stored.duration !== wanted.duration) {
    throw new SmsQueueRateLimitMismatchError(queueName, stored, wanted);
  }
  return Number(wrote) === 1;
}
