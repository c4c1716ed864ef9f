import type { KeepJobs, RedisOptions } from 'bullmq';
import { parseRedisUrl } from './redis-url';
import { DEFAULT_MAX_TPS, DEFAULT_REGISTRATION_NAME } from '../thai-bulk-sms.constants';
import { SmsQueueBackoff, SmsQueueEventScope, SmsQueueRetention, ThaiBulkSmsQueueModuleOptions } from './queue.types';

export const DEFAULT_QUEUE_NAME = 'thaibulksms';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export const QUEUE_OPTION_DEFAULTS = {
  connection: DEFAULT_REDIS_URL,
  prefix: 'bull',
  maxTps: DEFAULT_MAX_TPS,
  limiterWindowMs: 1000,
  limiterMarginMs: 10,
  accountRateGate: true,
  dedupeTtlSeconds: 86_400,
  events: 'worker',
  worker: true,
  concurrency: 16,
  attempts: 5,
  backoff: { type: 'exponential', delayMs: 1000 },
  removeOnComplete: { ageSeconds: 86_400 },
  removeOnFail: { ageSeconds: 604_800 },
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 1,
  registration: DEFAULT_REGISTRATION_NAME,
  readyTimeoutMs: 10_000,
} as const;

export interface ResolvedSmsQueueOptions {
  readonly queueName: string;
  readonly connection: RedisOptions;
  readonly prefix: string;
  readonly maxTps: number;
  readonly limiterWindowMs: number;
  /** Jobs BullMQ lets start per `limiterWindowMs`, all workers together (the queue's global rate limit). */
  readonly limiterMax: number;
  readonly limiterMarginMs: number;
  readonly accountRateGate: boolean;
  readonly dedupeTtlSeconds: number;
  readonly events: SmsQueueEventScope;
  readonly worker: boolean;
  readonly concurrency: number;
  readonly attempts: number;
  readonly backoff: Required<SmsQueueBackoff>;
  readonly removeOnComplete: SmsQueueRetention;
  readonly removeOnFail: SmsQueueRetention;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
  readonly registration: string;
  readonly readyTimeoutMs: number;
}

/** Thrown at bootstrap when the queue options are unusable; names the field, never a password. */
export class ThaiBulkSmsQueueOptionsError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`ThaiBulkSmsQueueModule: invalid option "${field}": ${reason}`);
    this.name = 'ThaiBulkSmsQueueOptionsError';
  }
}

function int(options: Record<string, unknown>, field: string, fallback: number, min: number): number {
  const value = options[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ThaiBulkSmsQueueOptionsError(
      field,
      `must be an integer >= ${min} (got ${JSON.stringify(value) ?? typeof value})`,
    );
  }
  return value;
}

function bool(options: Record<string, unknown>, field: string, fallback: boolean): boolean {
  const value = options[field] ?? fallback;
  if (typeof value !== 'boolean') throw new ThaiBulkSmsQueueOptionsError(field, 'must be a boolean');
  return value;
}

function retention(value: unknown, field: string, fallback: SmsQueueRetention): SmsQueueRetention {
  if (value === undefined) return fallback;
  const given = (value ?? {}) as Record<string, unknown>;
  if (typeof value !== 'object' || value === null)
    throw new ThaiBulkSmsQueueOptionsError(field, 'must be { ageSeconds?, count? }');
  const out: { ageSeconds?: number; count?: number } = {};
  if (given.ageSeconds !== undefined) out.ageSeconds = int(given, 'ageSeconds', 0, 1);
  if (given.count !== undefined) out.count = int(given, 'count', 0, 0);
  return out;
}

/**
 * `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS) as ioredis options (see
 * parseRedisUrl: a query string is refused); throws ThaiBulkSmsQueueOptionsError, never echoing
 * the password.
 */
export function redisOptionsFromUrl(value: string): RedisOptions {
  const parsed = parseRedisUrl(value);
  if ('problem' in parsed) throw new ThaiBulkSmsQueueOptionsError('connection', `the Redis URL ${parsed.problem}`);
  return parsed.options;
}

export function resolveQueueOptions(
  queueName: string,
  raw: ThaiBulkSmsQueueModuleOptions | undefined,
): ResolvedSmsQueueOptions {
  if (typeof queueName !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(queueName)) {
    throw new ThaiBulkSmsQueueOptionsError('queueName', 'must be 1-100 of A-Z a-z 0-9 _ . - (BullMQ forbids ":")');
  }
  if (raw !== undefined && (typeof raw !== 'object' || raw === null))
    throw new ThaiBulkSmsQueueOptionsError('options', 'must be an object');
  const options = (raw ?? {}) as Record<string, unknown>;
  const d = QUEUE_OPTION_DEFAULTS;

  const given = options.connection ?? d.connection;
  let connection: RedisOptions;
  if (typeof given === 'string') connection = redisOptionsFromUrl(given);
  else if (typeof given === 'object' && given !== null) connection = { ...(given as RedisOptions) };
  else throw new ThaiBulkSmsQueueOptionsError('connection', 'must be a redis:// URL or ioredis options');

  const prefix = options.prefix ?? d.prefix;
  if (typeof prefix !== 'string' || prefix === '' || prefix.includes(':')) {
    throw new ThaiBulkSmsQueueOptionsError('prefix', 'must be a non-empty string without ":"');
  }
  const maxTps = int(options, 'maxTps', d.maxTps, 1);
  const limiterWindowMs = int(options, 'limiterWindowMs', d.limiterWindowMs, 10);
  const limiterMax = Math.floor((maxTps * limiterWindowMs) / 1000);
  if (limiterMax < 1)
    throw new ThaiBulkSmsQueueOptionsError('limiterWindowMs', `lets no job start at maxTps ${maxTps}; make it longer`);
  const worker = bool(options, 'worker', d.worker);
  const events = options.events ?? d.events;
  if (events !== 'worker' && events !== 'queue')
    throw new ThaiBulkSmsQueueOptionsError('events', "must be 'worker' or 'queue'");

  const backoffGiven = (options.backoff ?? {}) as Record<string, unknown>;
  const backoffType = backoffGiven.type ?? d.backoff.type;
  if (backoffType !== 'fixed' && backoffType !== 'exponential')
    throw new ThaiBulkSmsQueueOptionsError('backoff.type', "must be 'fixed' or 'exponential'");
  const registration = options.registration ?? d.registration;
  if (typeof registration !== 'string' || registration.trim() === '')
    throw new ThaiBulkSmsQueueOptionsError('registration', 'must be a non-empty string');

  return {
    queueName,
    connection,
    prefix,
    maxTps,
    limiterWindowMs,
    limiterMax,
    limiterMarginMs: int(options, 'limiterMarginMs', d.limiterMarginMs, 0),
    accountRateGate: bool(options, 'accountRateGate', d.accountRateGate),
    dedupeTtlSeconds: int(options, 'dedupeTtlSeconds', d.dedupeTtlSeconds, 1),
    events,
    worker,
    concurrency: int(options, 'concurrency', d.concurrency, 1),
    attempts: int(options, 'attempts', d.attempts, 1),
    backoff: { type: backoffType, delayMs: int(backoffGiven, 'delayMs', d.backoff.delayMs, 0) },
    removeOnComplete: retention(options.removeOnComplete, 'removeOnComplete', d.removeOnComplete),
    removeOnFail: retention(options.removeOnFail, 'removeOnFail', d.removeOnFail),
    lockDurationMs: int(options, 'lockDurationMs', d.lockDurationMs, 1000),
    stalledIntervalMs: int(options, 'stalledIntervalMs', d.stalledIntervalMs, 500),
    maxStalledCount: int(options, 'maxStalledCount', d.maxStalledCount, 0),
    registration,
    readyTimeoutMs: int(options, 'readyTimeoutMs', d.readyTimeoutMs, 1),
  };
}

/** BullMQ's `removeOnComplete`/`removeOnFail` shape (`age` in seconds). */
export function keepJobsOf(retention: SmsQueueRetention): KeepJobs | false {
  const { ageSeconds, count } = retention;
  if (ageSeconds !== undefined) return count !== undefined ? { age: ageSeconds, count } : { age: ageSeconds };
  return count !== undefined ? { count } : false;
}
