import { maskRedisUrl, parseRedisUrl, QUEUE_OPTION_DEFAULTS } from '@app/thai-bulk-sms/queue';
import type { RedisOptions } from 'bullmq';
import { configNamespace } from '../config-namespace';
import { EnvChecked, EnvMatches } from '../env.decorators';

/** Default of REDIS_PREFIX. */
const DEFAULT_REDIS_PREFIX = 'thaibulksms-app';

export class RedisVariables {
  /** Redis shared by the instances; unset: the library's default with QUEUE_ENABLED=true, else no Redis. */
  @EnvChecked(redisUrlProblem) REDIS_URL?: string;
  /** Prefix of every key the app writes (OTP counters, tokens, the queue's BullMQ prefix). */
  @EnvMatches(/^[A-Za-z0-9_.-]{1,64}$/, '1 to 64 characters of A-Z, a-z, 0-9, "_", "." or "-" (BullMQ forbids ":")')
  REDIS_PREFIX = DEFAULT_REDIS_PREFIX;
}

/** The app's Redis: read with the library's parser, the one the queue uses, so both reach the same server alike. */
export interface RedisConnection {
  /** The URL as given. Holds the password, if any: log `maskedUrl`, never this. */
  readonly url: string;
  readonly options: RedisOptions;
  /** The URL with its password replaced by `***`, for logs and messages. */
  readonly maskedUrl: string;
  readonly prefix: string;
}

/** A Redis connection, or (no REDIS_URL, no queue) only the prefix: OTP counters in memory, one instance. */
export type RedisConfig = RedisConnection | { readonly url?: undefined; readonly prefix: string };

/** Scale-out: REDIS_URL alone moves the OTP counters to Redis; QUEUE_ENABLED=true adds the queue. */
export const redisConfig = configNamespace('redis', {
  variables: RedisVariables,
  read: (env): RedisConfig => {
    const url = env.REDIS_URL ?? (env.QUEUE_ENABLED ? QUEUE_OPTION_DEFAULTS.connection : undefined);
    if (url === undefined) return { prefix: env.REDIS_PREFIX };
    const parsed = parseRedisUrl(url);
    if ('problem' in parsed) throw new Error(redisUrlProblem(url));
    return { url, options: parsed.options, maskedUrl: maskRedisUrl(url), prefix: env.REDIS_PREFIX };
  },
});

/** What is wrong with a REDIS_URL, the password never shown (the library masks it), or undefined. */
function redisUrlProblem(value: string): string | undefined {
  const parsed = parseRedisUrl(value);
  if (!('problem' in parsed)) return undefined;
  const masked = maskRedisUrl(value);
  return `REDIS_URL ${parsed.problem}${masked === '<unparseable URL>' ? '' : ` (${masked})`}.`;
}
