import { Test, TestingModule } from '@nestjs/testing';
import { ThaiBulkSmsSandbox } from '@app/thai-bulk-sms/sandbox';
import { SmsQueue, ThaiBulkSmsQueueModule } from '@app/thai-bulk-sms/queue';
import {
  describeWithRedis,
  obliterateQueue,
  TEST_PREFIX,
  testRedisUrl,
  uniqueQueueName,
} from '@app/thai-bulk-sms/queue/redis.test-util';
import { QueueNode, queueNodeEnv, startQueueNode } from './support/queue-node.process';
import { until } from './support/rate-report';
import { phoneNumber } from './support/scale-out.protocol';

const MESSAGES = 10_000;
const CONCURRENCY = 16;

/**
 * 10,000 single-number alerts in Redis; a worker process is killed with SIGKILL half-way; a new
 * one takes over. Every message must reach the sandbox. Jobs the dead worker had taken but not
 * finished are re-run (at-least-once), so a number may arrive twice — at most once per job that
 * was in flight at the kill, which Redis shows as the jobs left `active` with no worker alive.
 */
describeWithRedis('scale-out: durability across kill -9 (real Redis, child processes)', () => {
  const queueName = uniqueQueueName('durable');
  let sandbox: ThaiBulkSmsSandbox;
  let producer: TestingModule;
  let queue: SmsQueue;
  const nodes: QueueNode[] = [];

  beforeAll(async () => {
    // The account limit is not under test here: no TPS limit, so the run takes seconds.
    sandbox = await ThaiBulkSmsSandbox.start({
      port: 0,
      maxTps: 0,
      credits: { standard: 1_000_000 },
      historyLimit: 2 * MESSAGES,
    });
    producer = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsQueueModule.forRoot({ queueName, connection: testRedisUrl(), prefix: TEST_PREFIX, worker: false }),
      ],
    }).compile();
    await producer.init();
    queue = producer.get(SmsQueue);
  }, 30_000);

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await producer?.close();
    await sandbox?.close();
    await obliterateQueue(queueName);
  }, 30_000);

  it(`delivers all ${MESSAGES.toLocaleString('en')} messages after the worker is killed mid-way; duplicates bounded by the jobs in flight`, async () => {
    const started = Date.now();
    for (let from = 0; from < MESSAGES; from += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, i) => queue.enqueue({ to: phoneNumber(from + i), message: 'durable' })),
      );
    }
    expect(await queue.queue.getWaitingCount()).toBe(MESSAGES);

    const env = queueNodeEnv(sandbox, queueName, 100_000, {
      CONCURRENCY: String(CONCURRENCY),
      // A dead worker's jobs are taken back once its lock lapses: 3 s here instead of 30 s.
      LOCK_DURATION_MS: '3000',
      STALLED_INTERVAL_MS: '1000',
    });
    const first = await startQueueNode(env);
    nodes.push(first);
    await until(() => sandbox.messages().length >= MESSAGES / 2, 60_000, 'half of the messages to arrive');
    await first.killHard();
    const arrivedAtKill = sandbox.messages().length;
    const inFlightAtKill = await queue.queue.getActiveCount();
    const completedAtKill = await queue.queue.getCompletedCount();

    const second = await startQueueNode(env);
    nodes.push(second);
    await until(async () => (await queue.queue.getCompletedCount()) >= MESSAGES, 60_000, 'every job to complete');

    const messages = sandbox.messages();
    const phones = new Set(messages.map((m) => m.phone));
    const duplicates = messages.length - phones.size;
    console.log(
      [
        `durability: ${MESSAGES} queued; worker killed (SIGKILL) with ${arrivedAtKill} arrived and ${completedAtKill} jobs completed`,
        `  jobs in flight at the kill (left active in Redis): ${inFlightAtKill} (worker concurrency ${CONCURRENCY})`,
        `  after the second worker: ${phones.size} distinct numbers arrived, ${duplicates} arrived twice (bound: ${inFlightAtKill})`,
        `  failed jobs: ${await queue.queue.getFailedCount()}; took ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ].join('\n'),
    );
    expect(phones.size).toBe(MESSAGES);
    expect(inFlightAtKill).toBeLessThanOrEqual(CONCURRENCY);
    expect(duplicates).toBeLessThanOrEqual(inFlightAtKill);
    expect(await queue.queue.getFailedCount()).toBe(0);
  }, 120_000);
});
