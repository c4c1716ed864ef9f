import { SmsQueueRateLimitMismatchError, ThaiBulkSmsQueueOptionsError } from '../errors';
import { Test, TestingModule } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { claimGlobalRateLimit, ClaimRedis } from './global-rate-limit.claim';
import { describeWithRedis, obliterateQueue, testRedisUrl, uniqueQueueName } from './redis.test-util';
import { SmsQueueDedupe } from './sms-queue.dedupe';

import { SmsQueueProcessor } from './sms-queue.processor';
import { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';
import { redisOptionsFromUrl } from './thai-bulk-sms-queue.options';
import { THAI_BULK_SMS_QUEUE_PROCESSOR } from './thai-bulk-sms-queue.tokens';

/**
 * The account rate lives in one place: BullMQ's global rate limit of the queue, in its meta hash
 * in Redis, read by every worker of every instance. The first instance with a worker writes it;
 * each later one checks it, and one configured otherwise refuses to start.
 */
describeWithRedis('global rate limit: written once, checked by every worker instance (real Redis)', () => {
  const url = testRedisUrl();
  // Opened in beforeAll: a describe body also runs when the suite is skipped, and then nothing closes it.
  let admin: Redis;
  const queues: { name: string; prefix: string }[] = [];
  const open: TestingModule[] = [];
  /** A queue of its own under a prefix of its own. */
  const fresh = (label: string) => {
    const entry = { name: uniqueQueueName(label), prefix: `tbs-rl-${uniqueQueueName(label)}` };
    queues.push(entry);
    return entry;
  };
  const start = async (q: { name: string; prefix: string }, options: object) => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot(),
        ThaiBulkSmsQueueModule.forRoot({ connection: url, prefix: q.prefix, queueName: q.name, ...options }),
      ],
    }).compile();
    await moduleRef.init();
    open.push(moduleRef);
    return moduleRef;
  };

  beforeAll(() => {
    admin = new Redis(redisOptionsFromUrl(url));
  });
  afterEach(async () => {
    for (const m of open.splice(0)) await m.close();
  });
  afterAll(async () => {
    for (const q of queues) await obliterateQueue(q.name, url, q.prefix);
    await admin?.quit();
  });

  it("the first worker instance writes maxTps per limiterWindowMs as BullMQ's global rate limit; its worker has no limiter of its own", async () => {
    const q = fresh('first');
    const moduleRef = await start(q, { maxTps: 90, limiterWindowMs: 500 });
    const queue = moduleRef.get<Queue>(getQueueToken(q.name), { strict: false });
    expect(await queue.getGlobalRateLimit()).toEqual({ max: 45, duration: 500 });
    // A worker's own `limiter` would override the stored window (BullMQ reads the worker's duration first).
    expect(
      moduleRef.get<SmsQueueProcessor>(THAI_BULK_SMS_QUEUE_PROCESSOR, { strict: false }).worker.opts.limiter,
    ).toBeUndefined();
  });

  it('a second worker instance configured for another rate refuses to start, names both values, and leaves no connection open', async () => {
    const q = fresh('mismatch');
    await start(q, { maxTps: 120 });
    const second = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot(),
        ThaiBulkSmsQueueModule.forRoot({ connection: url, prefix: q.prefix, queueName: q.name, maxTps: 100 }),
      ],
    }).compile();
    const error = await second.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SmsQueueRateLimitMismatchError);
    expect(error).toBeInstanceOf(ThaiBulkSmsQueueOptionsError);
    expect(error).toMatchObject({
      field: 'maxTps',
      stored: { max: 120, duration: 1000 },
      configured: { max: 100, duration: 1000 },
    });
    expect((error as Error).message).toContain('global rate limit 120 jobs per 1000 ms in Redis');
    expect((error as Error).message).toContain('configured for 100 per 1000 ms');
    // Nest cannot close() a module whose init failed: bootstrap closed the queue, the dedupe connection and the worker itself.
    const status = (emitter: unknown) => (emitter as { connection: { status: string } }).connection.status;
    expect(status(second.get<Queue>(getQueueToken(q.name), { strict: false }))).toBe('closed');
    expect(status(second.get(SmsQueueDedupe, { strict: false }).connection)).toBe('closed');
    expect(status(second.get<SmsQueueProcessor>(THAI_BULK_SMS_QUEUE_PROCESSOR, { strict: false }).worker)).toBe(
      'closed',
    );
    await second.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX, { strict: false }).close(); // the testing module's own server
    const queue = new Queue(q.name, { connection: redisOptionsFromUrl(url), prefix: q.prefix });
    expect(await queue.getGlobalRateLimit()).toEqual({ max: 120, duration: 1000 });
    await queue.close();
  });

  it('an enqueue-only instance neither writes nor checks the rate; an operator-set equal value is accepted', async () => {
    const q = fresh('operator');
    await start(q, { maxTps: 5, worker: false });
    const queue = new Queue(q.name, { connection: redisOptionsFromUrl(url), prefix: q.prefix });
    try {
      expect(await queue.getGlobalRateLimit()).toBeNull();
      await queue.setGlobalRateLimit(60, 1000);
      await start(q, { maxTps: 60 });
      expect(await queue.getGlobalRateLimit()).toEqual({ max: 60, duration: 1000 });
    } finally {
      await queue.close();
    }
  });

  it('two instances claiming at the same moment with different values: exactly one wins', async () => {
    const metaKey = `tbs-rl-race:${uniqueQueueName('race')}:meta`;
    const redis = admin as unknown as ClaimRedis;
    try {
      const outcomes = await Promise.allSettled([
        claimGlobalRateLimit(redis, metaKey, 'race', { max: 120, duration: 1000 }),
        claimGlobalRateLimit(redis, metaKey, 'race', { max: 60, duration: 1000 }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toEqual([{ status: 'fulfilled', value: true }]);
      expect(outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason)).toEqual([
        expect.any(SmsQueueRateLimitMismatchError),
      ]);
      expect(
        await claimGlobalRateLimit(
          redis,
          metaKey,
          'race',
          (await admin.hmget(metaKey, 'max')).at(0) === '120'
            ? { max: 120, duration: 1000 }
            : { max: 60, duration: 1000 },
        ),
      ).toBe(false);
    } finally {
      await admin.del(metaKey);
    }
  });
});
