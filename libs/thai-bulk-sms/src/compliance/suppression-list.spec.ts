import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ThaiBulkSmsRequestError } from '../errors';
import { describeWithRedis, testRedisUrl } from '../queue/redis.test-util';
import { InMemorySuppressionList } from './in-memory-suppression-list';
import { RedisSuppressionList } from './redis-suppression-list';
import { SuppressionList } from './suppression-list';

/** What every store must do, whatever keeps it. */
function contract(make: () => SuppressionList): void {
  let list: SuppressionList;
  beforeEach(() => {
    list = make();
  });

  it('keys by the normalised number: any Thai form is the same phone', async () => {
    const at = new Date('2030-01-15T05:00:00Z');
    await expect(list.add('081-234-5678', { reason: 'replied STOP', at })).resolves.toEqual({
      phone: '66812345678',
      scope: 'marketing',
      reason: 'replied STOP',
      at,
    });
    for (const form of ['0812345678', '+66812345678', '66 81 234 5678', '(081) 234.5678'])
      await expect(list.get(form)).resolves.toMatchObject({ phone: '66812345678', scope: 'marketing' });
    await expect(list.get('0898765432')).resolves.toBeUndefined();
    await expect(list.get('not a number')).resolves.toBeUndefined();
  });

  it('keeps the wider scope when a number is added again, with the new reason and time', async () => {
    await list.add('0812345678', { scope: 'all', reason: 'asked for nothing', at: new Date(1_000) });
    const again = await list.add('0812345678', { scope: 'marketing', reason: 'STOP', at: new Date(2_000) });
    expect(again).toEqual({ phone: '66812345678', scope: 'all', reason: 'STOP', at: new Date(2_000) });
    await expect(list.get('0812345678')).resolves.toEqual(again);
    await list.add('0898765432', { scope: 'marketing' });
    await expect(list.add('0898765432', { scope: 'all' })).resolves.toMatchObject({ scope: 'all' });
  });

  it('removes, and answers whether the number was on the list', async () => {
    await list.add('0812345678');
    await expect(list.remove('+66812345678')).resolves.toBe(true);
    await expect(list.remove('0812345678')).resolves.toBe(false);
    await expect(list.remove('nonsense')).resolves.toBe(false);
    await expect(list.get('0812345678')).resolves.toBeUndefined();
  });

  it('answers the scope of each number of a batch, in order, also past one command', async () => {
    await list.add('0812345678', { scope: 'marketing' });
    await list.add('0898765432', { scope: 'all' });
    const numbers = Array.from({ length: 2_500 }, (_, i) => `6681${String(i).padStart(7, '0')}`);
    numbers[7] = '66812345678';
    numbers[2_499] = '66898765432';
    const scopes = await list.scopesOf(numbers);
    expect(scopes).toHaveLength(2_500);
    expect(scopes[7]).toBe('marketing');
    expect(scopes[2_499]).toBe('all');
    expect(scopes.filter((scope) => scope !== undefined)).toHaveLength(2);
    await expect(list.scopesOf([])).resolves.toEqual([]);
  });

  it('refuses what is not a Thai mobile number, a bad scope or an overlong reason, storing nothing', async () => {
    await expect(list.add('0123')).rejects.toMatchObject({ errorName: 'ERROR_MSISDN' });
    await expect(list.add('0812345678', { scope: 'everything' as never })).rejects.toBeInstanceOf(
      ThaiBulkSmsRequestError,
    );
    await expect(list.add('0812345678', { reason: 'x'.repeat(201) })).rejects.toMatchObject({
      errorName: 'ERROR_FORM',
    });
    await expect(list.get('0812345678')).resolves.toBeUndefined();
  });
}

describe('InMemorySuppressionList', () => {
  contract(() => new InMemorySuppressionList());
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

  contract(() => {
    const key = `tbs-test:suppressions:${process.pid}-${randomBytes(4).toString('hex')}`;
    keys.push(key);
    return new RedisSuppressionList(redis, { key });
  });

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
  });
});
