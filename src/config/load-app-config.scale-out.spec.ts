import type { AppConfig } from './app-config';
import { problemsOf } from './config.test-util';
import { loadAppConfig } from './load-app-config';
import type { RedisConnection } from './namespaces/redis.config';

const redisConnection = (config: AppConfig): RedisConnection => {
  if (config.redis.url === undefined) throw new Error('expected a Redis connection');
  return config.redis;
};

describe('loadAppConfig: scale-out (REDIS_URL, REDIS_PREFIX, QUEUE_*)', () => {
  it('scale-out: no Redis and no queue by default; QUEUE_ENABLED=true defaults REDIS_URL; REDIS_URL alone moves only the OTP counters', () => {
    const none = loadAppConfig({});
    expect(none.redis.url).toBeUndefined();
    expect(none.queue).toEqual({ enabled: false, worker: true });

    expect(loadAppConfig({ QUEUE_ENABLED: 'true' })).toMatchObject({
      queue: { enabled: true, worker: true },
      redis: { url: 'redis://127.0.0.1:6379', maskedUrl: 'redis://127.0.0.1:6379', prefix: 'thaibulksms-app' },
    });
    expect(loadAppConfig({ QUEUE_ENABLED: 'true', QUEUE_WORKER: 'false', REDIS_PREFIX: 'shop-1' })).toMatchObject({
      queue: { worker: false },
      redis: { prefix: 'shop-1' },
    });
    expect(loadAppConfig({ REDIS_URL: 'rediss://cache.internal:6380/2' })).toMatchObject({
      queue: { enabled: false },
      redis: { url: 'rediss://cache.internal:6380/2' },
    });
  });

  it('scale-out: validates REDIS_URL, REDIS_PREFIX, the flags and the queue rate, never echoing the Redis password', () => {
    const secret = 'pa55-word-in-url';
    const withPassword = loadAppConfig({ REDIS_URL: `redis://default:${secret}@10.0.0.5:6379/1` });
    expect(redisConnection(withPassword).maskedUrl).toBe('redis://default:***@10.0.0.5:6379/1');

    const problems = problemsOf({
      REDIS_URL: `http://user:${secret}@host/`,
      REDIS_PREFIX: 'has:colon',
      QUEUE_ENABLED: 'yes',
      QUEUE_WORKER: 'maybe',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('REDIS_URL must use redis:// or rediss://'),
        expect.stringContaining('REDIS_PREFIX must be'),
        'QUEUE_ENABLED must be "true" or "false".',
        'QUEUE_WORKER must be "true" or "false".',
      ]),
    );
    expect(problemsOf({ REDIS_URL: `redis://u:${secret}@host:6379/not-a-db` })).toEqual([
      expect.stringContaining('redis://u:***@host:6379/not-a-db'),
    ]);
    expect(problemsOf({ REDIS_URL: secret })).toEqual([expect.stringContaining('REDIS_URL must be a redis://')]);
    for (const env of [
      { REDIS_URL: `http://user:${secret}@host/` },
      { REDIS_URL: `redis://u:${secret}@host:6379/x` },
      { REDIS_URL: secret },
    ]) {
      expect(problemsOf(env).join('\n')).not.toContain(secret);
    }
    expect(problemsOf({ QUEUE_ENABLED: 'true', THAIBULKSMS_MAX_TPS: '0' })).toEqual([
      expect.stringContaining('THAIBULKSMS_MAX_TPS=0'),
    ]);
  });

  it('refuses a password (or anything) in the query string of REDIS_URL, without echoing it', () => {
    const secret = 'qs-pa55-word';
    for (const url of [`redis://host:6390/?password=${secret}`, `redis://host:6390?password=${secret}&db=1`]) {
      const problems = problemsOf({ REDIS_URL: url, QUEUE_ENABLED: 'true' });
      expect(problems).toEqual([expect.stringContaining('REDIS_URL must not have a query string')]);
      expect(problems.join('\n')).toContain('redis://:<password>@host:port');
      expect(problems.join('\n')).not.toContain(secret);
    }
  });

  it('reads REDIS_URL with the library parser the queue uses: the app connects with exactly its options', () => {
    expect(redisConnection(loadAppConfig({ REDIS_URL: 'rediss://app:pw@cache.internal:6380/2' })).options).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'app',
      password: 'pw',
      db: 2,
      tls: {},
    });
  });
});
