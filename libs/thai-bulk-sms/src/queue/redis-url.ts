import type { RedisOptions } from 'bullmq';

/**
 * `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS) as ioredis options, or why
 * it is unusable. The one reading of a Redis URL for the queue and for an app's own connection,
 * so both reach the same Redis with the same credentials. A query string is refused: ioredis
 * would read `?password=` while BullMQ's options would not (one connection authenticated, the
 * other looping on NOAUTH), and a password there ends up in every log that prints the URL.
 * A problem never repeats the URL's password, or any query text.
 */
export function parseRedisUrl(value: string): { readonly options: RedisOptions } | { readonly problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: 'must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379)' };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return { problem: `must use redis:// or rediss:// (got ${url.protocol}//…)` };
  }
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
    return {
      problem:
        'must not have a query string or fragment (ThaiBulkSMS reads none of it): give the password as ' +
        'redis://:<password>@host:port, or redis://<user>:<password>@host:port',
    };
  }
  if (!url.hostname) return { problem: 'has no host' };
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) return { problem: 'has a path that is not a database number' };
  return {
    options: {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : 6379,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(db !== '' ? { db: Number(db) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}

/**
 * The URL for logs and messages: its password replaced by `***`, and every query value too (a
 * query string is refused, but may be shown in the refusal's context). A value that is not a URL
 * is shown as `<unparseable URL>`: it may be a password pasted in the wrong place.
 */
export function maskRedisUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    for (const key of [...new Set(url.searchParams.keys())]) url.searchParams.set(key, '***');
    if (url.hash) url.hash = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '<unparseable URL>';
  }
}
