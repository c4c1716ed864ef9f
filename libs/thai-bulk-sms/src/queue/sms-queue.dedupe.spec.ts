import { SmsQueueDedupeConflictError } from '../errors';
import { Test, TestingModule } from '@nestjs/testing';
import type { Redis } from 'ioredis';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { sendIdForKey } from './send-plan';
import { waitForStatus } from './queue.test-util';
import { describeWithRedis, obliterateQueue, TEST_PREFIX, testRedisUrl, uniqueQueueName } from './redis.test-util';
import { SmsQueueDedupe } from './sms-queue.dedupe';

import { SmsQueue } from './sms-queue.service';
import { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';

const numbers = (count: number, from: number) =>
  Array.from({ length: count }, (_, i) => `08${String(10_000_000 + from + i)}`);
const DEDUPE_TTL_SECONDS = 3_600;

/**
 * The dedupe key's record, `<prefix>:<queue>:dedupe:<key>`, written in the MULTI that adds the
 * chunk jobs and expiring on its own: what the key covers no longer depends on which of the
 * alert's jobs BullMQ's retention has removed so far.
 */
describeWithRedis('SmsQueue dedupe record (real Redis, sandbox on port 0)', () => {
  const queueName = uniqueQueueName('dedupe');
  let moduleRef: TestingModule;
  let queue: SmsQueue;
  let sb: ThaiBulkSmsSandbox;
  let redis: Redis;
  let recordKey: (key: string) => string;
  let run = 0;
  const key = (label: string) => `${label}:${Date.now()}:${run++}`;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot({ sandbox: { credits: { standard: 1_000_000 } } }),
        ThaiBulkSmsQueueModule.forRoot({
          queueName,
          connection: testRedisUrl(),
          prefix: TEST_PREFIX,
          maxTps: 1000,
          concurrency: 4,
          dedupeTtlSeconds: DEDUPE_TTL_SECONDS,
        }),
      ],
    }).compile();
    await moduleRef.init();
    queue = moduleRef.get(SmsQueue);
    sb = moduleRef.get(THAI_BULK_SMS_SANDBOX);
    redis = (await queue.queue.client) as unknown as Redis;
    const dedupe = moduleRef.get(SmsQueueDedupe, { strict: false });
    recordKey = (k) => dedupe.recordKey(k);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await obliterateQueue(queueName);
  });
  beforeEach(() => sb.reset());

  const send = (from: number) => ({ to: numbers(1_200, from), message: 'storm warning' });

  it('chunk 0 removed by retention, chunks 1..n still kept: enqueueing the key again is a duplicate, nothing is sent twice', async () => {
    const dedupeKey = key('partial');
    const first = await queue.enqueue(send(0), { dedupeKey });
    expect(first).toMatchObject({ chunks: 3, duplicate: false });
    await waitForStatus(queue, first.id, (s) => s.state === 'completed');
    expect(sb.messages()).toHaveLength(1_200);

    // What BullMQ's retention does, one job at a time: here only chunk 0 has gone.
    await (await queue.queue.getJob(`${first.id}/0`))!.remove();
    expect(await queue.queue.getJob(`${first.id}/1`)).toBeDefined();

    const again = await queue.enqueue(send(0), { dedupeKey });
    expect(again).toMatchObject({ id: first.id, duplicate: true });
    expect(await queue.queue.getJob(`${first.id}/0`)).toBeUndefined(); // not added back
    expect(await queue.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized')).toEqual({
      wait: 0,
      active: 0,
      delayed: 0,
      prioritized: 0,
    });
    expect(sb.messages()).toHaveLength(1_200);
  });

  it('every job of the alert removed: still a duplicate while the record lives; the same key for another alert is a conflict', async () => {
    const dedupeKey = key('all-removed');
    const first = await queue.enqueue(send(2_000), { dedupeKey });
    await waitForStatus(queue, first.id, (s) => s.state === 'completed');
    for (let i = 0; i < first.chunks; i++) await (await queue.queue.getJob(`${first.id}/${i}`))!.remove();

    expect(await queue.enqueue(send(2_000), { dedupeKey })).toMatchObject({ id: first.id, duplicate: true });
    await expect(queue.enqueue({ ...send(2_000), message: 'another text' }, { dedupeKey })).rejects.toBeInstanceOf(
      SmsQueueDedupeConflictError,
    );
    expect(sb.messages()).toHaveLength(1_200);
  });

  it('stores the record at <prefix>:<queue>:dedupe:<key> with dedupeTtlSeconds, in the transaction that added the jobs', async () => {
    const dedupeKey = key('record');
    const { id } = await queue.enqueue({ to: numbers(2, 5_000), message: 'record' }, { dedupeKey, delayMs: 60_000 });
    expect(recordKey(dedupeKey)).toBe(`${TEST_PREFIX}:${queueName}:dedupe:${dedupeKey}`);
    const record = JSON.parse((await redis.get(recordKey(dedupeKey)))!);
    expect(record).toMatchObject({ alertId: sendIdForKey(dedupeKey), chunks: 1, fingerprint: expect.any(String) });
    const ttl = await redis.pttl(recordKey(dedupeKey));
    expect(ttl).toBeGreaterThan((DEDUPE_TTL_SECONDS - 60) * 1000);
    expect(ttl).toBeLessThanOrEqual(DEDUPE_TTL_SECONDS * 1000);
    await (await queue.queue.getJob(`${id}/0`))!.remove();
  });

  it('after the record expired: a finished alert under the key is sent again (its old jobs replaced); one still queued is a duplicate', async () => {
    const dedupeKey = key('expired');
    const first = await queue.enqueue({ to: numbers(3, 6_000), message: 'again later' }, { dedupeKey });
    await waitForStatus(queue, first.id, (s) => s.state === 'completed');
    await redis.del(recordKey(dedupeKey)); // what PX does after dedupeTtlSeconds
    const again = await queue.enqueue({ to: numbers(3, 6_000), message: 'again later' }, { dedupeKey });
    expect(again).toMatchObject({ id: first.id, duplicate: false });
    await waitForStatus(queue, first.id, (s) => s.state === 'completed' && s.accepted === 3);
    expect(sb.messages()).toHaveLength(6);

    const waiting = key('expired-waiting');
    const delayed = await queue.enqueue(
      { to: numbers(1, 7_000), message: 'later' },
      { dedupeKey: waiting, delayMs: 60_000 },
    );
    await redis.del(recordKey(waiting));
    expect(await queue.enqueue({ to: numbers(1, 7_000), message: 'later' }, { dedupeKey: waiting })).toMatchObject({
      id: delayed.id,
      duplicate: true,
    });
    expect(await queue.queue.getDelayedCount()).toBe(1);
    await (await queue.queue.getJob(`${delayed.id}/0`))!.remove();
  });

  it('enqueues of one key racing each other from one instance: one copy; an unkeyed alert is never deduplicated', async () => {
    const dedupeKey = key('race');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => queue.enqueue({ to: numbers(600, 8_000), message: 'race' }, { dedupeKey })),
    );
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    const [a, b] = await Promise.all([
      queue.enqueue({ to: numbers(1, 9_000), message: 'twice' }),
      queue.enqueue({ to: numbers(1, 9_000), message: 'twice' }),
    ]);
    expect(a.id).not.toBe(b.id);
    await waitForStatus(queue, answers[0].id, (s) => s.state === 'completed');
    await waitForStatus(queue, b.id, (s) => s.state === 'completed');
    expect(sb.messages()).toHaveLength(602);
  });
});
