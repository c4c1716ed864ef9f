import type { KeepJobs, RedisOptions } from 'bullmq';
import { OptionsReader, OptionsReaderSettings } from '../errors/options-reader';
import { ThaiBulkSmsQueueOptionsError } from '../errors/options.errors';
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

const SETTINGS: OptionsReaderSettings = {
  error: ThaiBulkSmsQueueOptionsError,
  // A Redis URL carries its password.
  secrets: ['connection'],
  extras: ['isGlobal', 'queueName'],
  factoryMethod: 'createThaiBulkSmsQueueOptions',
};

// A Record over the interface's keys: adding an option without listing it here does not compile.
const KNOWN_OPTIONS = Object.keys({
  connection: true,
  prefix: true,
  maxTps: true,
  limiterWindowMs: true,
  accountRateGate: true,
  limiterMarginMs: true,
  dedupeTtlSeconds: true,
  events: true,
  worker: true,
  concurrency: true,
  attempts: true,
  backoff: true,
  removeOnComplete: true,
  removeOnFail: true,
  lockDurationMs: true,
  stalledIntervalMs: true,
  maxStalledCount: true,
  registration: true,
  readyTimeoutMs: true,
} satisfies Record<keyof ThaiBulkSmsQueueModuleOptions, true>);

function retention(options: OptionsReader, field: string, fallback: SmsQueueRetention): SmsQueueRetention {
  if (options.value(field) === undefined) return fallback;
  const given = options.object(field, '{ ageSeconds?, count? }').known(['ageSeconds', 'count']);
  const out: { ageSeconds?: number; count?: number } = {};
  if (given.value('ageSeconds') !== undefined) out.ageSeconds = given.int('ageSeconds', 0, 1);
  if (given.value('count') !== undefined) out.count = given.int('count', 0, 0);
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

function connectionOf(options: OptionsReader): RedisOptions {
  const given = options.value('connection') ?? QUEUE_OPTION_DEFAULTS.connection;
  if (typeof given === 'string') return redisOptionsFromUrl(given);
  if (typeof given === 'object' && given !== null) return { ...(given as RedisOptions) };
  return options.fail('connection', 'must be a redis:// URL or ioredis options');
}

/** The queue's rate: `maxTps` per `limiterWindowMs`, as BullMQ's global limit (at least one job per window). */
function rateOf(options: OptionsReader): Pick<ResolvedSmsQueueOptions, 'maxTps' | 'limiterWindowMs' | 'limiterMax'> {
  const maxTps = options.int('maxTps', QUEUE_OPTION_DEFAULTS.maxTps, 1);
  const limiterWindowMs = options.int('limiterWindowMs', QUEUE_OPTION_DEFAULTS.limiterWindowMs, 10);
  const limiterMax = Math.floor((maxTps * limiterWindowMs) / 1000);
  if (limiterMax < 1) options.fail('limiterWindowMs', `lets no job start at maxTps ${maxTps}; make it longer`);
  return { maxTps, limiterWindowMs, limiterMax };
}

export function resolveQueueOptions(
  queueName: string,
  raw: ThaiBulkSmsQueueModuleOptions | undefined,
): ResolvedSmsQueueOptions {
  if (typeof queueName !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(queueName)) {
    throw new ThaiBulkSmsQueueOptionsError('queueName', 'must be 1-100 of A-Z a-z 0-9 _ . - (BullMQ forbids ":")');
  }
  const options: OptionsReader = OptionsReader.of(raw, SETTINGS).known(KNOWN_OPTIONS);
  const d = QUEUE_OPTION_DEFAULTS;
  const connection = connectionOf(options);
  const prefix = options.value('prefix') ?? d.prefix;
  if (typeof prefix !== 'string' || prefix === '' || prefix.includes(':'))
    options.fail('prefix', `must be a non-empty string without ":"${options.got('prefix', prefix)}`);
  const rate = rateOf(options);
  const worker = options.bool('worker', d.worker);
  const events = options.oneOf<SmsQueueEventScope>('events', d.events, ['worker', 'queue']);
  const backoff = options.object('backoff');
  const backoffType = backoff.oneOf<'fixed' | 'exponential'>('type', d.backoff.type, ['fixed', 'exponential']);
  const registration = options.value('registration') ?? d.registration;
  if (typeof registration !== 'string' || registration.trim() === '')
    options.fail('registration', 'must be a non-empty string');

  return {
    queueName,
    connection,
    prefix,
    ...rate,
    limiterMarginMs: options.int('limiterMarginMs', d.limiterMarginMs, 0),
    accountRateGate: options.bool('accountRateGate', d.accountRateGate),
    dedupeTtlSeconds: options.int('dedupeTtlSeconds', d.dedupeTtlSeconds, 1),
    events,
    worker,
    concurrency: options.int('concurrency', d.concurrency, 1),
    attempts: options.int('attempts', d.attempts, 1),
    backoff: { type: backoffType, delayMs: backoff.int('delayMs', d.backoff.delayMs, 0) },
    removeOnComplete: retention(options, 'removeOnComplete', d.removeOnComplete),
    removeOnFail: retention(options, 'removeOnFail', d.removeOnFail),
    lockDurationMs: options.int('lockDurationMs', d.lockDurationMs, 1000),
    stalledIntervalMs: options.int('stalledIntervalMs', d.stalledIntervalMs, 500),
    maxStalledCount: options.int('maxStalledCount', d.maxStalledCount, 0),
    registration,
    readyTimeoutMs: options.int('readyTimeoutMs', d.readyTimeoutMs, 1),
  };
}

/** BullMQ's `removeOnComplete`/`removeOnFail` shape (`age` in seconds). */
export function keepJobsOf(retention: SmsQueueRetention): KeepJobs | false {
  const { ageSeconds, count } = retention;
  if (ageSeconds !== undefined) return count !== undefined ? { age: ageSeconds, count } : { age: ageSeconds };
  return count !== undefined ? { count } : false;
}
