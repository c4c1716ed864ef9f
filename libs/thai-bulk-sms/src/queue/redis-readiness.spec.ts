import { ThaiBulkSmsQueueConnectionError } from '../errors';
import { createServer } from 'node:net';
import { Test, TestingModule } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ThaiBulkSmsTestingModule } from '../testing';
import { ThaiBulkSmsModule } from '../thai-bulk-sms.module';
import {
  describeWithRedis,
  obliterateQueue,
  startSlowRedisProxy,
  TEST_PREFIX,
  testRedisUrl,
  uniqueQueueName,
} from './redis.test-util';
import { SmsQueueProcessor } from './sms-queue.processor';
import { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';
import { THAI_BULK_SMS_QUEUE_PROCESSOR } from './thai-bulk-sms-queue.tokens';
import { redisAddressOf } from './redis-readiness';

/** Counts unhandled rejections while `body` runs, and for a few turns of the event loop after it. */
async function unhandledRejectionsDuring(body: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (reason: unknown) => seen.push(reason instanceof Error ? reason.message : String(reason));
  process.on('unhandledRejection', listener);
  try {
    await body();
    // A late init rejection follows the socket's close event: let a few I/O turns pass.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

/** The status BullMQ keeps on a Queue's or Worker's Redis connection (an internal, read for the proof). */
function connectionStatus(
  emitter: unknown,
  field: 'connection' | 'blockingConnection' = 'connection',
): string | undefined {
  return (emitter as Record<string, { status?: string } | undefined>)[field]?.status;
}

describe('queue readiness at bootstrap', () => {
  it('Redis unreachable: bootstrap fails with ThaiBulkSmsQueueConnectionError naming host and port, never the password, and closes the queue and the worker', async () => {
    // A loopback port nobody listens on: bound, then released.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const queueName = uniqueQueueName('unreachable');
    let moduleRef: TestingModule | undefined;
    let error: unknown;
    const unhandled = await unhandledRejectionsDuring(async () => {
      moduleRef = await Test.createTestingModule({
        imports: [
          // Not the testing module: Nest cannot close() a module whose init failed, and its sandbox would stay open.
          ThaiBulkSmsModule.forRoot({ apiKey: 'key', apiSecret: 'secret', baseUrl: 'http://127.0.0.1:9' }),
          ThaiBulkSmsQueueModule.forRoot({
            // disconnectTimeout: ioredis otherwise keeps a 2 s timer for a socket that is already gone.
            connection: { host: '127.0.0.1', port, password: 'hunter2-secret', disconnectTimeout: 50 },
            prefix: TEST_PREFIX,
            queueName,
            readyTimeoutMs: 300,
          }),
        ],
      }).compile();
      error = await moduleRef.init().then(
        () => undefined,
        (e: unknown) => e,
      );
    });

    expect(error).toBeInstanceOf(ThaiBulkSmsQueueConnectionError);
    const message = (error as Error).message;
    expect(message).toContain(`Redis at 127.0.0.1:${port} within 300 ms`);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain('hunter2');
    const queue = moduleRef!.get<Queue>(getQueueToken(queueName), { strict: false });
    const processor = moduleRef!.get<SmsQueueProcessor>(THAI_BULK_SMS_QUEUE_PROCESSOR, { strict: false });
    expect(connectionStatus(queue)).toBe('closed');
    expect(connectionStatus(processor.worker)).toBe('closed');
    expect(connectionStatus(processor.worker, 'blockingConnection')).toBe('closed');
    expect(unhandled).toEqual([]);
  });

  it('redisAddressOf names host and port (or the socket path), never user or password', () => {
    expect(redisAddressOf({ host: 'cache.internal', port: 6380, username: 'app', password: 'hunter2' })).toBe(
      'cache.internal:6380',
    );
    expect(redisAddressOf({ path: '/run/redis.sock', password: 'hunter2' })).toBe('/run/redis.sock');
    expect(redisAddressOf({})).toBe('127.0.0.1:6379');
  });
});

describeWithRedis('queue readiness at bootstrap (real Redis)', () => {
  const url = testRedisUrl();
  const used: string[] = [];
  afterAll(async () => {
    for (const n of used) await obliterateQueue(n, url, TEST_PREFIX);
  });

  // BullMQ's connection, closed while its init is still running (e.g. its INFO in flight), rejects
  // that init after dropping its listeners: an unhandled "Connection is closed." in apps (and
  // tests) that stop right after they start. Bootstrap now waits until init is done, which a proxy
  // that answers 150 ms late makes visible: without the wait the queue is still "initializing".
  it.each([
    ['enqueue only', false],
    ['with a worker', true],
  ])(
    'an app that stops as soon as it started, on a slow Redis (%s): init waits for Redis, no unhandled rejection, every connection closed',
    async (_label, worker) => {
      const proxy = await startSlowRedisProxy(150, url);
      const queueName = uniqueQueueName('start-stop');
      used.push(queueName);
      let queue: Queue | undefined;
      try {
        const unhandled = await unhandledRejectionsDuring(async () => {
          const moduleRef = await Test.createTestingModule({
            imports: [
              ThaiBulkSmsTestingModule.forRoot(),
              ThaiBulkSmsQueueModule.forRoot({ connection: proxy.url, prefix: TEST_PREFIX, queueName, worker }),
            ],
          }).compile();
          queue = moduleRef.get<Queue>(getQueueToken(queueName), { strict: false });
          await moduleRef.init();
          expect(connectionStatus(queue)).toBe('ready');
          await moduleRef.close();
          // Cut every socket now: a connection that was still initializing rejects its init here.
          await proxy.close();
        });
        expect(unhandled).toEqual([]);
        expect(connectionStatus(queue)).toBe('closed');
      } finally {
        await proxy.close();
      }
    },
  );
});
