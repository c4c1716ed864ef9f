import { getQueueToken } from '@nestjs/bullmq';
import { Test, TestingModule } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { ThaiBulkSmsTestingModule } from '../testing';
import {
  describeWithRedis,
  obliterateQueue,
  startLatencyRedisProxy,
  TEST_PREFIX,
  testRedisUrl,
  uniqueQueueName,
} from './redis.test-util';
import { SmsQueueDedupe } from './sms-queue.dedupe';
import { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';

const CYCLES = 50;
/** Every reply of Redis this late: BullMQ's INFO after ioredis' ready check is in flight that long. */
const LATENCY_MS = 20;

/**
 * Everything that escapes while `body` runs, and for a few I/O turns after it (a late init
 * rejection follows the socket's close event): unhandled rejections and uncaught exceptions. The
 * error of the bug — BullMQ's connection emitting 'error' with no listener left, which throws
 * inside a promise handler: "Unhandled error. (Error: Connection is closed." — Jest itself also
 * reports as a failure of the running test, as it did in CI; this catches what Jest lets through.
 */
async function escapedDuring(body: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const record = (reason: unknown) => seen.push(reason instanceof Error ? reason.message : String(reason));
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  try {
    await body();
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', record);
    process.off('uncaughtException', record);
  }
  return seen;
}

/** Turns of the event loop (no timers) until `done`; fails after `maxTurns`. */
async function turnsUntil(done: () => boolean, maxTurns = 100_000): Promise<void> {
  for (let turn = 0; !done(); turn++) {
    if (turn >= maxTurns) throw new Error('condition not reached');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The CI flake of thai-bulk-sms-queue.module.spec.ts ("Unhandled error. (Error: Connection is
 * closed." from bullmq's redis-connection.js, taskforcesh/bullmq#3546): a module closed while a
 * BullMQ connection was still initializing — past ioredis' ready check, its INFO in flight. On
 * the local Redis that window is a fraction of a millisecond (a loaded CI machine hit it); behind
 * a proxy that delays replies it lasts LATENCY_MS, and the test closes the module as soon as the
 * proxy has seen BullMQ's INFO of both of its connections (the queue's and the dedupe one's).
 * Without SmsQueueReadiness.beforeApplicationShutdown every cycle escaped, twice (checked by
 * switching it off: 100 errors in 50 cycles).
 */
describeWithRedis('ThaiBulkSmsQueueModule started and stopped at once (real Redis behind a slow link)', () => {
  const used: string[] = [];
  let proxy: Awaited<ReturnType<typeof startLatencyRedisProxy>>;
  const name = (label: string) => {
    const n = uniqueQueueName(label);
    used.push(n);
    return n;
  };
  beforeAll(async () => {
    proxy = await startLatencyRedisProxy(LATENCY_MS);
  });
  afterAll(async () => {
    await proxy?.close();
    for (const n of used) await obliterateQueue(n, testRedisUrl(), TEST_PREFIX);
  });

  it(`compile() then close() while BullMQ's init is in flight, ${CYCLES} times: nothing escapes`, async () => {
    const queueName = name('compile-close');
    let inFlight = 0;
    const escaped = await escapedDuring(async () => {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const infosBefore = proxy.infoCommands();
        const moduleRef: TestingModule = await Test.createTestingModule({
          imports: [
            ThaiBulkSmsQueueModule.forRoot({ connection: proxy.url, prefix: TEST_PREFIX, queueName, worker: false }),
          ],
        }).compile();
        // Two connections, two INFOs each: ioredis' ready check, then BullMQ's — whose reply is now on its way.
        await turnsUntil(() => proxy.infoCommands() >= infosBefore + 4);
        const queue = moduleRef.get<Queue>(getQueueToken(queueName), { strict: false });
        const dedupe = moduleRef.get(SmsQueueDedupe, { strict: false }).connection;
        if (
          [queue, dedupe].some(
            (q) => (q as unknown as { connection: { status: string } }).connection.status === 'initializing',
          )
        )
          inFlight++;
        await moduleRef.close();
      }
    });
    // Had the replies come back before close(), this would prove nothing.
    expect(inFlight).toBe(CYCLES);
    expect(escaped).toEqual([]);
  }, 60_000);

  it(`init() then close() with a worker and a queue events reader, ${CYCLES} times: nothing escapes`, async () => {
    const queueName = name('init-close');
    const escaped = await escapedDuring(async () => {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const moduleRef = await Test.createTestingModule({
          imports: [
            ThaiBulkSmsTestingModule.forRoot(),
            // Straight to Redis: bootstrap waits for every connection, so latency adds only time here.
            ThaiBulkSmsQueueModule.forRoot({
              connection: testRedisUrl(),
              prefix: TEST_PREFIX,
              queueName,
              events: 'queue',
            }),
          ],
        }).compile();
        await moduleRef.init();
        await moduleRef.close();
      }
    });
    expect(escaped).toEqual([]);
  }, 90_000);
});
