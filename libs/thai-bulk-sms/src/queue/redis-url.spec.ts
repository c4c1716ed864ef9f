import { ThaiBulkSmsQueueOptionsError } from '../errors';
import { maskRedisUrl, parseRedisUrl } from './redis-url';
import { redisOptionsFromUrl } from './thai-bulk-sms-queue.options';

const SECRET = 'S3CR3T-in-the-url';

describe('parseRedisUrl / redisOptionsFromUrl (one reading of a Redis URL, for the queue and the app)', () => {
  it('reads host, port, user, password, database and TLS', () => {
    expect(parseRedisUrl(`rediss://app:${encodeURIComponent('p@ss:w/rd')}@cache.internal:6380/2`)).toEqual({
      options: { host: 'cache.internal', port: 6380, username: 'app', password: 'p@ss:w/rd', db: 2, tls: {} },
    });
    expect(redisOptionsFromUrl(`redis://:${SECRET}@[::1]`)).toEqual({ host: '::1', port: 6379, password: SECRET });
  });

  it.each([
    ['a password in the query string', `redis://host:6390/?password=${SECRET}`],
    ['any query string', 'redis://host:6390?family=6'],
    ['a bare question mark', 'redis://host:6390/?'],
    ['a fragment', `redis://host:6390/#${SECRET}`],
  ])('refuses %s, never repeating it', (_label, url) => {
    const parsed = parseRedisUrl(url);
    expect(parsed).toEqual({ problem: expect.stringContaining('must not have a query string') });
    let thrown: unknown;
    try {
      redisOptionsFromUrl(url);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ThaiBulkSmsQueueOptionsError);
    expect(String((thrown as Error).message)).not.toMatch(/S3CR3T|family/);
  });

  it.each([
    [SECRET, 'must be a redis:// or rediss:// URL'],
    [`http://u:${SECRET}@host`, 'must use redis:// or rediss://'],
    [`redis://u:${SECRET}@host/not-a-db`, 'not a database number'],
  ])('refuses %s with a reason that does not repeat the password', (url, reason) => {
    const parsed = parseRedisUrl(url);
    expect(parsed).toEqual({ problem: expect.stringContaining(reason) });
    expect(JSON.stringify(parsed)).not.toContain(SECRET);
  });
});

describe('maskRedisUrl', () => {
  it('hides the password, every query value and a fragment', () => {
    expect(maskRedisUrl(`redis://default:${SECRET}@10.0.0.5:6379/1`)).toBe('redis://default:***@10.0.0.5:6379/1');
    expect(maskRedisUrl(`redis://host:6390/?password=${SECRET}&db=2`)).toBe('redis://host:6390/?password=***&db=***');
    expect(maskRedisUrl(`redis://host:6390/#${SECRET}`)).toBe('redis://host:6390/#***');
    expect(maskRedisUrl(SECRET)).toBe('<unparseable URL>');
  });
});
