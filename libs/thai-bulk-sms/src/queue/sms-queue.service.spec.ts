import { SmsQueueDedupeConflictError, SmsQueueUnknownOptionError } from '../errors';
import { Test, TestingModule } from '@nestjs/testing';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { ThaiBulkSmsRequestError } from '../errors';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { SmsSendStatus, SmsQueueEvent } from './queue.types';
import { describeWithRedis, obliterateQueue, TEST_PREFIX, testRedisUrl, uniqueQueueName } from './redis.test-util';

import { SmsQueue } from './sms-queue.service';

import { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';
import { waitForStatus } from './queue.test-util';

const numbers = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `08${String(10_000_000 + from + i)}`);

describeWithRedis('SmsQueue (real Redis, sandbox on port 0)', () => {
  const queueName = uniqueQueueName('svc');
  let moduleRef: TestingModule;
  let queue: SmsQueue;
  let sb: ThaiBulkSmsSandbox;

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
        }),
      ],
    }).compile();
    await moduleRef.init();
    queue = moduleRef.get(SmsQueue);
    sb = moduleRef.get(THAI_BULK_SMS_SANDBOX);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await obliterateQueue(queueName);
  });
  beforeEach(() => sb.reset());

  it('queues a send, sends it through SmsService, and reports it completed with the results', async () => {
    const completed = firstValueFrom(queue.events$.pipe(filter((e) => e.type === 'completed')));
    const { id, chunks, recipients, rejected, duplicate } = await queue.enqueue({
      to: ['081-234-5678', 'nope'],
      message: 'alert',
      tags: ['ops'],
    });
    expect({ chunks, recipients, duplicate }).toEqual({ chunks: 1, recipients: 1, duplicate: false });
    expect(rejected).toEqual([{ phone: 'nope', reason: expect.any(String) }]);

    const status = await waitForStatus(queue, id, (s) => s.state === 'completed');
    expect(status).toMatchObject({ id, recipients: 1, accepted: 1, rejected: 0, creditsUsed: 1, failures: [] });
    expect(status.chunks).toMatchObject({ total: 1, completed: 1 });
    expect(status.finishedAt).toBeGreaterThanOrEqual(status.createdAt);
    expect(sb.messages()).toEqual([expect.objectContaining({ phone: '66812345678', message: 'alert', tags: ['ops'] })]);

    // The answer is the alert id; its chunk jobs in BullMQ are <id>/<n>.
    expect((await queue.queue.getJob(`${id}/0`))?.data).toMatchObject({ alertId: id, index: 0, chunks: 1 });
    const [outcome] = (await queue.getResults(id))!;
    expect(outcome.result?.accepted).toEqual([
      { phone: '66812345678', messageId: sb.lastMessage()!.messageId, credits: 1 },
    ]);
    expect(await completed).toMatchObject({ type: 'completed', queueName, sendId: id, index: 0, chunks: 1 });
  });

  it('cuts a long list into chunk jobs of at most 500 numbers, one request each, and sums them up', async () => {
    const list = [...numbers(1_234), ...numbers(10)]; // the last 10 repeat: sent once
    const events = firstValueFrom(queue.events$.pipe(take(3), toArray()));
    const { id, chunks, recipients } = await queue.enqueue({ to: list, message: 'big' });
    expect({ chunks, recipients }).toEqual({ chunks: 3, recipients: 1_234 });

    const status = await waitForStatus(queue, id, (s) => s.state === 'completed');
    expect(status).toMatchObject({ accepted: 1_234, creditsUsed: 1_234, chunks: { total: 3, completed: 3 } });
    expect(requestCount(sb, '/sms')).toBe(3);
    expect(new Set(sb.messages().map((m) => m.phone)).size).toBe(1_234);
    const sizes = (await queue.getResults(id))!.map((o) => o.result!.accepted.length);
    expect(sizes).toEqual([500, 500, 234]);
    expect((await events).map((e: SmsQueueEvent) => e.index).sort()).toEqual([0, 1, 2]);
  });

  it('refuses an alert with no valid number or an empty message before queueing anything', async () => {
    expect((await rejectionOf(queue.enqueue({ to: ['123', 'x'], message: 'hi' }))).errorName).toBe('ERROR_MSISDN');
    const empty = await rejectionOf(queue.enqueue({ to: '0812345678', message: ' ' }));
    expect(empty).toBeInstanceOf(ThaiBulkSmsRequestError);
    expect(empty.errorName).toBe('ERROR_MESSAGE');
    expect((await rejectionOf(queue.enqueue({ to: '0812345678', message: 'hi' }, { priority: -1 }))).errorName).toBe(
      'ERROR_FORM',
    );
    expect(await queue.queue.getJobCounts('waiting', 'active', 'delayed')).toMatchObject({
      waiting: 0,
      active: 0,
      delayed: 0,
    });
  });

  it("refuses a message longer than the worker's registration allows (maxMessageParts) before queueing anything", async () => {
    const before = await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    const tooLong = await rejectionOf(queue.enqueue({ to: '0812345678', message: 'x'.repeat(153 * 10 + 1) }));
    expect(tooLong).toBeInstanceOf(ThaiBulkSmsRequestError);
    expect(tooLong.errorName).toBe('ERROR_MESSAGE_TOO_LONG');
    expect(await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).toEqual(before);
    expect(requestCount(sb, '/sms')).toBe(0);
  });

  it.each([
    ['delay', { delay: 60_000 }, /unknown option "delay".*did you mean delayMs \(milliseconds\)\?/],
    ['jobId', { jobId: 'mine' }, /unknown option "jobId".*did you mean dedupeKey/],
    ['dedupe_key', { dedupe_key: 'k' }, /unknown option "dedupe_key" \(known: dedupeKey, delayMs, priority\)$/],
  ])('refuses an unknown enqueue option (%s) naming it, before queueing anything', async (_label, options, message) => {
    const before = await queue.queue.getJobCounts('waiting', 'delayed', 'prioritized');
    const error = await queue.enqueue({ to: '0812345678', message: 'hi' }, options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsQueueUnknownOptionError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as SmsQueueUnknownOptionError).option).toBe(Object.keys(options)[0]);
    expect((error as Error).message).toMatch(message);
    expect(await queue.queue.getJobCounts('waiting', 'delayed', 'prioritized')).toEqual(before);
    expect(sb.messages()).toHaveLength(0);
  });

  it('with a dedupe key, sends an alert enqueued twice once and answers the same id', async () => {
    const key = `disk-full:host-7:${Date.now()}`;
    const first = await queue.enqueue({ to: numbers(3), message: 'disk full' }, { dedupeKey: key });
    const second = await queue.enqueue({ to: numbers(3), message: 'disk full' }, { dedupeKey: key });
    expect(second).toMatchObject({ id: first.id, duplicate: true });
    expect(first.duplicate).toBe(false);
    await waitForStatus(queue, first.id, (s) => s.state === 'completed');
    const third = await queue.enqueue({ to: numbers(3), message: 'disk full' }, { dedupeKey: key }); // after completion too
    expect(third.duplicate).toBe(true);
    expect(sb.messages()).toHaveLength(3);

    const conflict = await queue
      .enqueue({ to: numbers(3), message: 'other text' }, { dedupeKey: key })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(SmsQueueDedupeConflictError);
  });

  it('two enqueues of the same key racing each other queue one copy', async () => {
    const key = `race-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => queue.enqueue({ to: numbers(600), message: 'race' }, { dedupeKey: key })),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    await waitForStatus(queue, answers[0].id, (s) => s.state === 'completed');
    expect(sb.messages()).toHaveLength(600);
  });

  it('keeps a delayed alert queued, and reports unknown ids as undefined', async () => {
    const { id } = await queue.enqueue({ to: '0812345678', message: 'later' }, { delayMs: 60_000, priority: 3 });
    const status = (await queue.getStatus(id)) as SmsSendStatus;
    expect(status).toMatchObject({ state: 'queued', chunks: { total: 1, delayed: 1 } });
    expect(await queue.getStatus('no-such-alert')).toBeUndefined();
    expect(await queue.getStatus('bad:id')).toBeUndefined();
    await (await queue.queue.getJob(`${id}/0`))!.remove();
  });

  it('stores only the send in Redis: no credentials in the job', async () => {
    const { id } = await queue.enqueue({ to: '0812345678', message: 'secret-free' }, { delayMs: 60_000 });
    const raw = await (await queue.queue.client).hgetall(`${TEST_PREFIX}:${queueName}:${id}/0`);
    const text = JSON.stringify(raw);
    expect(text).toContain('secret-free');
    for (const secret of Object.values(sb.credentials)) expect(text).not.toContain(secret);
    await (await queue.queue.getJob(`${id}/0`))!.remove();
  });
});
