/** The default Redis of QUEUE_ENABLED=true without REDIS_URL. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Default of REDIS_PREFIX. */
export const DEFAULT_REDIS_PREFIX = 'thaibulksms-app';

/**
 * The URL with its password (and a username that looks like a secret is kept: only the password
 * is hidden) replaced by `***`, for logs and error messages. A value that is not a URL is shown
 * as `<unparseable URL>`: it may be a password pasted in the wrong place.
 */
export function maskRedisUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '<unparseable URL>';
  }
}

/** Why a REDIS_URL is unusable, or undefined when it is fine. Never echoes the password. */
export function redisUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379).';
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return `REDIS_URL must use redis:// or rediss:// (got ${url.protocol}//…).`;
  }
  if (!url.hostname) return `REDIS_URL has no host (${maskRedisUrl(value)}).`;
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) return `REDIS_URL's path must be a database number (${maskRedisUrl(value)}).`;
  return undefined;
}
