import { DynamicModule, Logger, Module, Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { ThaiBulkSmsInstrumentation } from '../instrumentation/thai-bulk-sms.instrumentation';
import { claimGlobalRateLimit, ClaimRedis } from './global-rate-limit.claim';
import { ChunkQueue, ThaiBulkSmsQueueModuleOptions } from './queue.types';
import { createSmsQueueClusterEvents, SmsQueueClusterEvents } from './sms-queue.cluster-events';
import { SmsQueueDedupe } from './sms-queue.dedupe';
import { SmsQueueEvents } from './sms-queue.events';
import { ReadinessTarget, SmsQueueReadiness } from './redis-readiness';
import { assertWorkerCanSend, createSmsQueueProcessor, findSmsService, SmsQueueProcessor } from './sms-queue.processor';
import { queueDepth, SmsQueue } from './sms-queue.service';
import { DEFAULT_QUEUE_NAME, resolveQueueOptions, ResolvedSmsQueueOptions } from './thai-bulk-sms-queue.options';
import {
  getSmsQueueToken,
  THAI_BULK_SMS_QUEUE_MODULE_OPTIONS,
  THAI_BULK_SMS_QUEUE_NAME,
  THAI_BULK_SMS_QUEUE_PROCESSOR,
  THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS,
} from './thai-bulk-sms-queue.tokens';

/** The registration's QueueEvents reader (or its stand-in with `events: 'worker'`). Internal. */
const CLUSTER_EVENTS = 'THAI_BULK_SMS_QUEUE_CLUSTER_EVENTS';

/** Provided (globally) by ThaiBulkSmsTelemetryModule or the app; absent, nothing is instrumented. */
const INSTRUMENTATION = { token: ThaiBulkSmsInstrumentation, optional: true };

/** Holds one registration's options, so both the module and its BullMQ queue can inject them. */
@Module({})
class ThaiBulkSmsQueueOptionsHostModule {}

/**
 * One registration: its options (in a host module that @nestjs/bullmq's queue factory imports
 * too), the BullMQ queue (connection and prefix from the options), the processor that
 * @nestjs/bullmq's explorer turns into a worker (unless `worker: false`), the event stream (and its
 * QueueEvents reader with `events: 'queue'`), the dedupe connection, readiness, and SmsQueue. The
 * queue name shapes the graph (the queue's token), so it is an extra.
 */
export function createThaiBulkSmsQueueModule(
  definition: DynamicModule,
  queueName: string | undefined,
  isGlobal: boolean,
): DynamicModule {
  const name = queueName ?? DEFAULT_QUEUE_NAME;
  resolveQueueOptions(name, {}); // a bad queue name fails here, while the module graph is built
  const host = optionsHost(definition, name);
  const bull = BullModule.registerQueueAsync({
    name,
    imports: [host],
    inject: [THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS],
    useFactory: (options: ResolvedSmsQueueOptions) => ({ connection: options.connection, prefix: options.prefix }),
  });
  const token = getSmsQueueToken(name);
  const queueToken = getQueueToken(name);
  const providers: Provider[] = [
    SmsQueueEvents,
    {
      provide: THAI_BULK_SMS_QUEUE_PROCESSOR,
      useFactory: createSmsQueueProcessor,
      inject: [THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS, ModuleRef, SmsQueueEvents, INSTRUMENTATION],
    },
    {
      provide: CLUSTER_EVENTS,
      useFactory: createSmsQueueClusterEvents,
      inject: [THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS, queueToken, SmsQueueEvents],
    },
    { provide: SmsQueueDedupe, useFactory: createDedupe, inject: [THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS, queueToken] },
    {
      provide: SmsQueue,
      useFactory: createSmsQueue,
      inject: [
        THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS,
        queueToken,
        SmsQueueEvents,
        SmsQueueDedupe,
        ModuleRef,
        INSTRUMENTATION,
      ],
    },
    {
      provide: SmsQueueReadiness,
      useFactory: createReadiness,
      inject: [
        THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS,
        queueToken,
        THAI_BULK_SMS_QUEUE_PROCESSOR,
        SmsQueueDedupe,
        CLUSTER_EVENTS,
      ],
    },
  ];
  if (token !== SmsQueue) providers.push({ provide: token, useExisting: SmsQueue });
  return { module: definition.module, global: isGlobal, imports: [host, bull], providers, exports: [token] };
}

/** The registration's options, in a module of their own that @nestjs/bullmq's queue factory imports too. */
function optionsHost(definition: DynamicModule, name: string): DynamicModule {
  return {
    module: ThaiBulkSmsQueueOptionsHostModule,
    imports: definition.imports ?? [],
    providers: [
      ...(definition.providers ?? []),
      { provide: THAI_BULK_SMS_QUEUE_NAME, useValue: name },
      {
        provide: THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS,
        // A worker without an SmsService to send with fails here, before the queue or the worker opens a connection.
        useFactory: (raw: ThaiBulkSmsQueueModuleOptions, moduleRef: ModuleRef) =>
          assertWorkerCanSend(resolveQueueOptions(name, raw), moduleRef),
        inject: [THAI_BULK_SMS_QUEUE_MODULE_OPTIONS, ModuleRef],
      },
    ],
    exports: [THAI_BULK_SMS_QUEUE_RESOLVED_OPTIONS],
  };
}

/** A second Queue of the same name and prefix: a connection of its own for WATCH (see SmsQueueDedupe). */
function createDedupe(options: ResolvedSmsQueueOptions, queue: ChunkQueue): SmsQueueDedupe {
  const connection: ChunkQueue = new Queue(options.queueName, {
    connection: options.connection,
    prefix: options.prefix,
  });
  connection.on('error', (error) => new Logger('ThaiBulkSmsQueue').error(`dedupe connection error: ${error.message}`));
  return new SmsQueueDedupe(queue, connection, options.dedupeTtlSeconds * 1000);
}

function createSmsQueue(
  options: ResolvedSmsQueueOptions,
  queue: ChunkQueue,
  events: SmsQueueEvents,
  dedupe: SmsQueueDedupe,
  moduleRef: ModuleRef,
  instrumentation?: ThaiBulkSmsInstrumentation,
): SmsQueue {
  // Depth gauges read the counts when metrics are collected, never on a timer of their own.
  instrumentation?.watchQueue(options.queueName, () => queueDepth(queue));
  const findSms = () => findSmsService(moduleRef, options.registration);
  return new SmsQueue(options, queue, events, dedupe, findSms, instrumentation);
}

/**
 * Readiness of the registration's connections, and the global rate limit claimed once they are
 * up: only an instance that runs jobs writes or checks the account rate (an enqueue-only one never
 * uses its maxTps).
 */
function createReadiness(
  options: ResolvedSmsQueueOptions,
  queue: ChunkQueue,
  processor: object,
  dedupe: SmsQueueDedupe,
  cluster: object,
): SmsQueueReadiness {
  const targets = (): ReadinessTarget[] => {
    const worker = processor instanceof SmsQueueProcessor ? processor.workerIfCreated() : undefined;
    const queueEvents = cluster instanceof SmsQueueClusterEvents ? cluster.queueEventsIfCreated() : undefined;
    return [
      { what: 'queue', emitter: queue },
      { what: 'dedupe connection', emitter: dedupe.connection },
      ...(worker ? [{ what: 'worker', emitter: worker }] : []),
      ...(queueEvents ? [{ what: 'queue events reader', emitter: queueEvents }] : []),
    ];
  };
  const verify = async () => {
    if (!options.worker) return;
    const wanted = { max: options.limiterMax, duration: options.limiterWindowMs };
    await claimGlobalRateLimit(
      (await queue.client) as unknown as ClaimRedis,
      queue.keys.meta,
      options.queueName,
      wanted,
    );
  };
  return new SmsQueueReadiness(options.connection, options.readyTimeoutMs, targets, verify);
}
