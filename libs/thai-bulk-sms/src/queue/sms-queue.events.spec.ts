import { Test } from '@nestjs/testing';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { ThaiBulkSmsModule } from '../thai-bulk-sms.module';
import { queueSpecModules, waitForStatus } from './queue.test-util';
import { SmsQueueEvent, SmsQueueJobCompletedEvent, SmsQueueJobFailedEvent } from './queue.types';
import { describeWithRedis, TEST_PREFIX, testRedisUrl } from './redis.test-util';
import { SmsQueue } from './sms-queue.service';
import { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';

describeWithRedis('SmsQueue events (real Redis)', () => {
  const url = testRedisUrl();
  const { name, start } = queueSpecModules(url);

  it('a chunk still being sent when the app closes: its completed event is emitted before the stream completes', async () => {
    const queueName = name('drain');
    // A sandbox of its own, outliving the app: the testing module's would close with it, under the send.
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0 });
    const moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsModule.forRoot({ ...sandbox.credentials, baseUrl: sandbox.url, maxTps: 0, isGlobal: true }),
        ThaiBulkSmsQueueModule.forRoot({ connection: url, prefix: TEST_PREFIX, queueName, maxTps: 1000 }),
      ],
    }).compile();
    await moduleRef.init();
    const queue = moduleRef.get(SmsQueue);
    sandbox.inject({ kind: 'slow', delayMs: 300 }, { path: '/sms', times: 1 });
    const everything = lastValueFrom(queue.events$.pipe(toArray()));
    const { id } = await queue.enqueue({ to: '0812345678', message: 'in flight at shutdown' });
    await waitForStatus(queue, id, (s) => s.chunks.active === 1);

    // close() runs onModuleDestroy first: a stream completed there lost this event.
    try {
      await moduleRef.close();
      expect(await everything).toEqual([expect.objectContaining({ type: 'completed', sendId: id, index: 0 })]);
      expect(sandbox.messages()).toHaveLength(1);
    } finally {
      await sandbox.close();
    }
  });

  it("events: 'queue' — an enqueue-only instance sees the chunks another instance's worker finished: completed, and failed only for good", async () => {
    const queueName = name('cluster');
    const base = { connection: url, prefix: TEST_PREFIX, queueName, maxTps: 1000, attempts: 1 };
    const watcher = await start([ThaiBulkSmsQueueModule.forRoot({ ...base, worker: false, events: 'queue' })]);
    const worker = await start([ThaiBulkSmsTestingModule.forRoot(), ThaiBulkSmsQueueModule.forRoot(base)]);
    const sandbox = worker.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX);
    const queue = watcher.get(SmsQueue);
    const seen: SmsQueueEvent[] = [];
    queue.events$.subscribe((event) => seen.push(event));

    const completed = firstValueFrom(
      queue.events$.pipe(filter((e): e is SmsQueueJobCompletedEvent => e.type === 'completed')),
    );
    const ok = await queue.enqueue({ to: ['0812345678', '0898765432'], message: 'seen by the watcher' });
    expect(await completed).toMatchObject({
      type: 'completed',
      queueName,
      sendId: ok.id,
      jobId: `${ok.id}/0`,
      index: 0,
      chunks: 1,
      result: { accepted: [expect.any(Object), expect.any(Object)] },
    });

    sandbox.failNext('ERROR_SYSTEM_FAILURE', { path: '/sms' });
    const failed = firstValueFrom(queue.events$.pipe(filter((e): e is SmsQueueJobFailedEvent => e.type === 'failed')));
    const bad = await queue.enqueue({ to: '0812345678', message: 'fails' });
    expect(await failed).toMatchObject({
      sendId: bad.id,
      failure: { errorName: 'ERROR_SYSTEM_FAILURE', recipients: 1 },
    });
    expect(seen.map((e) => `${e.type} ${e.sendId}`)).toEqual([`completed ${ok.id}`, `failed ${bad.id}`]);
  });

  it("events: 'worker' (default) — an enqueue-only instance reports nothing; the worker's instance reports each job once", async () => {
    const queueName = name('local');
    const base = { connection: url, prefix: TEST_PREFIX, queueName, maxTps: 1000 };
    const enqueuer = await start([ThaiBulkSmsQueueModule.forRoot({ ...base, worker: false })]);
    const worker = await start([ThaiBulkSmsTestingModule.forRoot(), ThaiBulkSmsQueueModule.forRoot(base)]);
    const fromEnqueuer: SmsQueueEvent[] = [];
    const fromWorker: SmsQueueEvent[] = [];
    enqueuer.get(SmsQueue).events$.subscribe((e) => fromEnqueuer.push(e));
    worker.get(SmsQueue).events$.subscribe((e) => fromWorker.push(e));
    const { id } = await enqueuer.get(SmsQueue).enqueue({ to: '0812345678', message: 'local' });
    await waitForStatus(enqueuer.get(SmsQueue), id, (s) => s.state === 'completed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(fromWorker.map((e) => e.type)).toEqual(['completed']);
    expect(fromEnqueuer).toEqual([]);
  });
});
