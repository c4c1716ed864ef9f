import { ThaiBulkSmsQueueOptionsError } from '../errors';
import { Injectable, Module } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import Redis from 'ioredis';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { ThaiBulkSmsQueueModuleOptions } from './queue.types';
import { queueSpecModules, waitForStatus } from './queue.test-util';
import { describeWithRedis, obliterateQueue, TEST_PREFIX, testRedisUrl, uniqueQueueName } from './redis.test-util';
import { SmsQueue } from './sms-queue.service';
import { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';
import { redisOptionsFromUrl } from './thai-bulk-sms-queue.options';
import { SmsQueueProcessor } from './sms-queue.processor';
import { getSmsQueueToken, InjectSmsQueue, THAI_BULK_SMS_QUEUE_PROCESSOR } from './thai-bulk-sms-queue.tokens';

/** Every registration path of ThaiBulkSmsQueueModule, each proven by a real send through Redis. */
describeWithRedis('ThaiBulkSmsQueueModule registration (real Redis)', () => {
  const url = testRedisUrl();
  const { name, start, open } = queueSpecModules(url);
  const base = (): ThaiBulkSmsQueueModuleOptions => ({
    connection: url,
    prefix: TEST_PREFIX,
    maxTps: 1000,
    concurrency: 2,
  });

  /** Enqueues one number through `queue` and waits until the sandbox of `moduleRef` got it. */
  async function provesSending(moduleRef: TestingModule, queue: SmsQueue): Promise<void> {
    const sandbox = moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX);
    const { id } = await queue.enqueue({ to: '0812345678', message: 'registration' });
    await waitForStatus(queue, id, (s) => s.state === 'completed');
    expect(sandbox.lastMessage()).toMatchObject({ phone: '66812345678', message: 'registration' });
  }

  it('forRoot: SmsQueue is injectable by class and its worker sends', async () => {
    const queueName = name('forroot');
    const moduleRef = await start([
      ThaiBulkSmsTestingModule.forRoot(),
      ThaiBulkSmsQueueModule.forRoot({ ...base(), queueName }),
    ]);
    const queue = moduleRef.get(SmsQueue);
    expect(queue.queue.name).toBe(queueName);
    await provesSending(moduleRef, queue);
  });

  it('the default queue name is injected by class (strictly, from a consumer module)', async () => {
    const prefix = `${TEST_PREFIX}-${uniqueQueueName('default')}`; // default name 'thaibulksms': a prefix of its own keeps runs apart
    @Injectable()
    class Consumer {
      constructor(readonly queue: SmsQueue) {}
    }
    try {
      const moduleRef = await start(
        [ThaiBulkSmsTestingModule.forRoot(), ThaiBulkSmsQueueModule.forRoot({ ...base(), prefix })],
        [Consumer],
      );
      expect(getSmsQueueToken()).toBe(SmsQueue);
      const { queue } = moduleRef.get(Consumer);
      expect(queue.queue.name).toBe('thaibulksms');
      await provesSending(moduleRef, queue);
    } finally {
      for (const m of open.splice(0)) await m.close();
      await obliterateQueue('thaibulksms', url, prefix);
    }
  });

  it('forRootAsync with useFactory + inject (ConfigService)', async () => {
    const queueName = name('factory');
    const moduleRef = await start([
      ThaiBulkSmsTestingModule.forRoot(),
      ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ REDIS_URL: url, QUEUE_MAX_TPS: '500' })] }),
      ThaiBulkSmsQueueModule.forRootAsync({
        queueName,
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          connection: config.getOrThrow<string>('REDIS_URL'),
          prefix: TEST_PREFIX,
          maxTps: Number(config.get('QUEUE_MAX_TPS')),
        }),
      }),
    ]);
    await provesSending(moduleRef, moduleRef.get(SmsQueue));
  });

  it('forRootAsync with useClass', async () => {
    @Injectable()
    class QueueOptionsFactory {
      createThaiBulkSmsQueueOptions(): ThaiBulkSmsQueueModuleOptions {
        return { connection: url, prefix: TEST_PREFIX, maxTps: 1000 };
      }
    }
    const moduleRef = await start([
      ThaiBulkSmsTestingModule.forRoot(),
      ThaiBulkSmsQueueModule.forRootAsync({ queueName: name('useclass'), useClass: QueueOptionsFactory }),
    ]);
    await provesSending(moduleRef, moduleRef.get(SmsQueue));
  });

  it('forRootAsync with useExisting (a factory provided by an imported module)', async () => {
    @Injectable()
    class SharedQueueOptions {
      createThaiBulkSmsQueueOptions(): ThaiBulkSmsQueueModuleOptions {
        return { connection: url, prefix: TEST_PREFIX, maxTps: 1000 };
      }
    }
    @Module({ providers: [SharedQueueOptions], exports: [SharedQueueOptions] })
    class OptionsModule {}
    const moduleRef = await start([
      ThaiBulkSmsTestingModule.forRoot(),
      ThaiBulkSmsQueueModule.forRootAsync({
        queueName: name('useexisting'),
        imports: [OptionsModule],
        useExisting: SharedQueueOptions,
      }),
    ]);
    await provesSending(moduleRef, moduleRef.get(SmsQueue));
  });

  it('isGlobal: a module that does not import it injects the queue; without isGlobal the module is not global', async () => {
    const queueName = name('global');
    @Injectable()
    class Notifier {
      constructor(@InjectSmsQueue(queueName) readonly queue: SmsQueue) {}
    }
    @Module({ providers: [Notifier], exports: [Notifier] })
    class FeatureModule {}
    const globalOf = (m: TestingModule) =>
      [...m.get(ModulesContainer).values()].filter((w) => w.metatype === ThaiBulkSmsQueueModule).map((w) => w.isGlobal);

    const moduleRef = await start([
      ThaiBulkSmsTestingModule.forRoot(),
      ThaiBulkSmsQueueModule.forRoot({ ...base(), queueName, isGlobal: true }),
      FeatureModule,
    ]);
    const { queue } = moduleRef.get(Notifier);
    expect(queue.queue.name).toBe(queueName);
    expect(globalOf(moduleRef)).toEqual([true]);
    await provesSending(moduleRef, queue);

    // Without isGlobal (the default). (Proven by the container rather than by a failing compile: Nest does not close
    // what a failed compile already opened, and the BullMQ connection would outlive the test.)
    const local = await start([ThaiBulkSmsQueueModule.forRoot({ ...base(), queueName: name('local'), worker: false })]);
    expect(globalOf(local)).toEqual([false]);
  });

  it('a named queue is injected with @InjectSmsQueue(name), beside the default one', async () => {
    const urgent = name('urgent');
    const main = name('main');
    @Injectable()
    class TwoQueues {
      constructor(
        readonly main: SmsQueue,
        @InjectSmsQueue(urgent) readonly urgent: SmsQueue,
      ) {}
    }
    const moduleRef = await start(
      [
        ThaiBulkSmsTestingModule.forRoot(),
        // The default queue is the one named 'thaibulksms'; give it a test name through a second, named registration.
        ThaiBulkSmsQueueModule.forRoot({ ...base(), queueName: urgent }),
        ThaiBulkSmsQueueModule.forRoot({ ...base(), queueName: main }),
      ],
      [{ provide: SmsQueue, useExisting: getSmsQueueToken(main) }, TwoQueues],
    );
    const both = moduleRef.get(TwoQueues);
    expect(getSmsQueueToken(urgent)).toBe(`ThaiBulkSmsQueue:${urgent}:SmsQueue`);
    expect(both.urgent).not.toBe(both.main);
    expect(both.urgent.queue.name).toBe(urgent);
    expect(both.main.queue.name).toBe(main);
    await provesSending(moduleRef, both.urgent);
  });

  it('worker: false only enqueues: no SmsService needed, the jobs wait for a worker elsewhere', async () => {
    const queueName = name('enqueue-only');
    const enqueuer = await start([ThaiBulkSmsQueueModule.forRoot({ ...base(), queueName, worker: false })]);
    const queue = enqueuer.get(SmsQueue);
    const { id, chunks } = await queue.enqueue({ to: ['0812345678', '0898765432'], message: 'later' });
    expect(chunks).toBe(1);
    expect(await queue.queue.getWorkers()).toHaveLength(0);
    expect((await queue.getStatus(id))?.state).toBe('queued');

    // A worker instance on the same queue picks it up.
    const worker = await start([
      ThaiBulkSmsTestingModule.forRoot(),
      ThaiBulkSmsQueueModule.forRoot({ ...base(), queueName }),
    ]);
    await waitForStatus(queue, id, (s) => s.state === 'completed');
    expect(worker.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX).messages()).toHaveLength(2);
  });

  it('a worker without a ThaiBulkSmsModule registration fails with a clear error, before any Redis connection opens', async () => {
    const queueName = name('no-sms');
    // A prefix of its own, also the ioredis connection name: every client this registration opens is named after it.
    const prefix = `${TEST_PREFIX}-${uniqueQueueName('no-sms')}`;
    const connection = { ...redisOptionsFromUrl(url), connectionName: prefix };
    const admin = new Redis(redisOptionsFromUrl(url));
    const clientsLeft = async () =>
      String(await admin.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => / name=(\S+)/.exec(line)?.[1].startsWith(prefix));
    let moduleRef: TestingModule | undefined;
    try {
      const error = await Test.createTestingModule({
        imports: [ThaiBulkSmsQueueModule.forRoot({ connection, prefix, queueName, worker: true })],
      })
        .compile()
        .then((m) => {
          moduleRef = m;
          return m.init();
        })
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(error?.message).toContain(
        'runs a worker (worker: true) but no SmsService of the ThaiBulkSmsModule registration "default"',
      );
      if (moduleRef) {
        const closed = moduleRef.close().then(
          () => 'closed',
          (e: Error) => `close() threw: ${e.message}`,
        );
        const late = new Promise<string>((resolve) =>
          setTimeout(resolve, 5000, 'close() still pending after 5 s').unref(),
        );
        expect(await Promise.race([closed, late])).toBe('closed');
      }
      expect(await clientsLeft()).toEqual([]);
      // Raised while the module is compiled, so nothing was built that could hold a connection.
      expect(moduleRef).toBeUndefined();
    } finally {
      if (moduleRef) {
        // Only reached while the bug is present: close by hand what close() left open, so Jest does not hang.
        const processor = moduleRef.get<SmsQueueProcessor>(THAI_BULK_SMS_QUEUE_PROCESSOR, { strict: false });
        await processor.worker.close().catch(() => undefined);
        await moduleRef
          .get<Queue>(getQueueToken(queueName), { strict: false })
          .close()
          .catch(() => undefined);
      }
      await obliterateQueue(queueName, url, prefix);
      await admin.quit();
    }
  });

  describe('bad options: a clear error naming the field, never the password', () => {
    it.each<[string, ThaiBulkSmsQueueModuleOptions, string]>([
      ['maxTps 0', { maxTps: 0 }, 'maxTps'],
      ['maxTps not an integer', { maxTps: 1.5 }, 'maxTps'],
      ['a non-Redis URL', { connection: 'http://user:hunter2-secret@127.0.0.1:6379' }, 'connection'],
      ['a URL with a path that is not a db', { connection: 'redis://:hunter2-secret@127.0.0.1:6379/x' }, 'connection'],
      ['a prefix with ":"', { prefix: 'a:b' }, 'prefix'],
      ['worker not a boolean', { worker: 'yes' as unknown as boolean }, 'worker'],
      ['an unknown backoff type', { backoff: { type: 'linear' as 'fixed' } }, 'backoff.type'],
      ['an empty registration', { registration: ' ' }, 'registration'],
      ['concurrency 0', { concurrency: 0 }, 'concurrency'],
      ['a window that lets no job start', { maxTps: 1, limiterWindowMs: 100 }, 'limiterWindowMs'],
    ])('%s → ThaiBulkSmsQueueOptionsError on "%s"', async (_label, options, field) => {
      const attempt = Test.createTestingModule({
        imports: [
          ThaiBulkSmsQueueModule.forRootAsync({
            queueName: name('bad'),
            useFactory: () => ({ ...base(), worker: false, ...options }),
          }),
        ],
      }).compile();
      const error = await attempt.then(
        (m) => {
          open.push(m);
          return undefined;
        },
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(ThaiBulkSmsQueueOptionsError);
      expect((error as ThaiBulkSmsQueueOptionsError).field).toBe(field);
      expect(error!.message).toContain(`invalid option "${field}"`);
      expect(error!.message).not.toContain('hunter2');
    });

    it('a bad queue name fails while the module graph is built (forRoot itself throws)', () => {
      expect(() => ThaiBulkSmsQueueModule.forRoot({ ...base(), queueName: 'has:colon' })).toThrow(
        ThaiBulkSmsQueueOptionsError,
      );
      expect(() => ThaiBulkSmsQueueModule.forRootAsync({ queueName: '', useFactory: () => base() })).toThrow(
        /invalid option "queueName"/,
      );
    });
  });
});
