import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { describeWithRedis, testRedisUrl } from '../queue/redis.test-util';
import { InMemorySuppressionList } from './in-memory-suppression-list';
import { RedisSuppressionList } from './redis-suppression-list';
import { suppressionListContract, TEST_ERASURE_KEY } from './suppression-list.contract.test-util';

describe('InMemorySuppressionList', () => {
  suppressionListContract(
    (options) => new InMemorySuppressionList(options),
    (list) => Promise.resolve(JSON.stringify(Object.values(list).map((value) => [...(value as Map<string, unknown>)]))),
  );

  it('refuses an erasure key shorter than 32 characters', () => {
    expect(() => new InMemorySuppressionList({ erasureKey: 'short' })).toThrow(/at least 32/);
    expect(new InMemorySuppressionList({ erasureKey: TEST_ERASURE_KEY }).keepsHashes).toBe(true);
  });
});

describeWithRedis('RedisSuppressionList (real Redis)', () => {
  let redis: Redis;
  const keys: string[] = [];
  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  suppressionListContract(
    (options) => {
      const key = `tbs-test:suppressions:${process.pid}-${randomBytes(4).toString('hex')}`;
      keys.push(key);
      return new RedisSuppressionList(redis, { key, ...options });
    },
    async (list) => JSON.stringify(await redis.hgetall((list as RedisSuppressionList).key)),
  );

  it('looks a chunk of 500 up in one command, however long the list', async () => {
    const key = `tbs-test:suppressions:${process.pid}-${randomBytes(4).toString('hex')}`;
    keys.push(key);
    const list = new RedisSuppressionList(redis, { key });
    await list.add('0812345678');
    const calls: string[] = [];
    const counting = new Proxy(redis, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(property));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const measured = new RedisSuppressionList(counting, { key });
    const chunk = Array.from({ length: 500 }, (_, i) => `6689${String(i).padStart(7, '0')}`);
    await measured.scopesOf(chunk);
    expect(calls).toEqual(['hmget']);

    // With an erasure key: still one command while no hash is kept, a second one once one is.
    const keyed = new RedisSuppressionList(counting, { key, erasureKey: TEST_ERASURE_KEY });
    calls.length = 0;
    await keyed.scopesOf(chunk);
    expect(calls).toEqual(['hmget']);
    await keyed.add(chunk[3], { keepAfterErasure: true });
    await keyed.eraseSubject(chunk[3]);
    calls.length = 0;
    expect((await keyed.scopesOf(chunk))[3]).toBe('marketing');
    expect(calls).toEqual(['hmget', 'hmget']);
  });
});
