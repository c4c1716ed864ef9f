import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeWithRedis, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { ManualClock, throttlerStorageContract } from './throttler-storage.contract.test-util';

// The shared storage contract, against Redis, plus what only Redis has to prove.
describeWithRedis('RedisThrottlerStorage (real Redis)', () => {
  const prefix = `t-throttle-${process.pid}-${randomBytes(4).toString('hex')}`;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });
  let run = 0;
  const setup = () => {
    const clock = new ManualClock();
    return { clock, storage: new RedisThrottlerStorage(redis, clock, `${prefix}:${++run}`) };
  };

  throttlerStorageContract(setup);

  it('counts concurrent hits atomically (one Lua script per hit)', async () => {
    const { storage } = setup();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => storage.increment('c', 60_000, 10, 60_000, 'n')),
    );
    expect(results.filter((r) => !r.isBlocked)).toHaveLength(10);
    expect(
      results
        .map((r) => r.totalHits)
        .sort((x, y) => x - y)
        .slice(0, 10),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('lets Redis expire the key once the window and the block are over (bounded memory)', async () => {
    const { storage } = setup();
    await storage.increment('e', 2_000, 5, 1_000, 'n');
    const keys = await redis.keys(`${prefix}:${run}:throttle:n:e`);
    expect(keys).toHaveLength(1);
    const ttl = await redis.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2_000);
  });
});
