import { maskRedisUrl, parseRedisUrl } from '@app/thai-bulk-sms/queue';
import type { RedisOptions } from 'bullmq';

/** The default Redis of QUEUE_ENABLED=true without REDIS_URL. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Default of REDIS_PREFIX. */
export const DEFAULT_REDIS_PREFIX = 'thaibulksms-app';

/**
 * REDIS_URL read with the library's parser, the one the queue uses too (so the app's own
 * connection and BullMQ's reach the same Redis with the same credentials): its ioredis options
 * and the URL masked for logs, or why it is unusable. Never echoes the password.
 */
export function readRedisUrl(
  value: string,
): { readonly options: RedisOptions; readonly maskedUrl: string } | { readonly problem: string } {
  const parsed = parseRedisUrl(value);
  const maskedUrl = maskRedisUrl(value);
  if ('problem' in parsed) {
    const shown = maskedUrl === '<unparseable URL>' ? '' : ` (${maskedUrl})`;
    return { problem: `REDIS_URL ${parsed.problem}${shown}.` };
  }
  return { options: parsed.options, maskedUrl };
}
