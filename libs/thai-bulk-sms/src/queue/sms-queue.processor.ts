import { Logger, OnApplicationBootstrap, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError } from 'bullmq';
import type { Job, Worker } from 'bullmq';
import { OutsideSendingHoursError } from '../errors';
import type { ThaiBulkSmsInstrumentation } from '../instrumentation/thai-bulk-sms.instrumentation';
import { SmsService } from '../sms/sms.service';
import { SendSmsResult } from '../sms/sms.types';
import { getSmsServiceToken } from '../thai-bulk-sms.decorators';
import { AccountRateGate, GateRedis } from './account-rate.gate';
import { failureOf, isFinalFailure, toJobError } from './chunk-failure';
import { SmsQueueEvents } from './sms-queue.events';
import { ResolvedSmsQueueOptions } from './thai-bulk-sms-queue.options';
import { SmsChunkJobData } from './queue.types';

/**
 * Sends one chunk job through the registration's SmsService; one job is one POST /sms. The account
 * rate is held in Redis for every worker of every instance: BullMQ's global rate limit of the
 * queue (written or checked at bootstrap, see claimGlobalRateLimit) lets at most `limiterMax` jobs
 * start per `limiterWindowMs` — the workers carry no `limiter` of their own, which would override
 * the stored window — and, unless `accountRateGate: false`, the send-time gate (AccountRateGate)
 * lets at most that many requests leave in any `1000 + limiterMarginMs` ms.
 */
export class SmsQueueProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('ThaiBulkSmsQueue');
  private sms?: SmsService;
  private readonly gate?: AccountRateGate;

  constructor(
    private readonly options: ResolvedSmsQueueOptions,
    private readonly moduleRef: ModuleRef,
    private readonly events: SmsQueueEvents,
    private readonly instrumentation?: ThaiBulkSmsInstrumentation,
  ) {
    super();
    const keyOf = (suffix: string) => `${options.prefix}:${options.queueName}:${suffix}`;
    if (options.accountRateGate) {
      this.gate = new AccountRateGate(
        () => this.worker.client as unknown as Promise<GateRedis>,
        keyOf('account-rate'),
        keyOf('meta'),
        options.maxTps,
        options.limiterMarginMs,
      );
    }
  }

  /** The worker once @nestjs/bullmq's explorer created it (at module init); undefined before. */
  workerIfCreated(): Worker | undefined {
    try {
      return this.worker;
    } catch {
      // WorkerHost's getter throws until the explorer has run: a module compiled but never initialised.
      return undefined;
    }
  }

  onApplicationBootstrap(): void {
    this.smsService();
    // The event stream completes only after the worker has closed, so the events of jobs that
    // finish while it drains still go out (not at module destroy, which comes first).
    this.events.completeAfter(() => this.worker.close());
    // With events: 'queue' the queue's event stream reports every job (SmsQueueClusterEvents);
    // publishing here too would report this worker's jobs twice.
    const publish = this.options.events === 'worker';
    const { queueName } = this.options;
    this.worker.on('completed', (job: Job<SmsChunkJobData, SendSmsResult>, result: SendSmsResult) => {
      const { alertId: sendId, index, chunks } = job.data;
      if (publish)
        this.events.publish({ type: 'completed', queueName, sendId, jobId: String(job.id), index, chunks, result });
    });
    this.worker.on('failed', (job: Job<SmsChunkJobData> | undefined, error: Error) => {
      if (!job) return;
      const failure = failureOf(job);
      if (!isFinalFailure(job, error)) {
        this.logger.warn(
          `chunk ${job.id} not sent (${failure.errorName}); attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}, will retry`,
        );
        return;
      }
      this.logger.warn(`chunk ${job.id} failed for good: ${failure.errorName}`);
      const { alertId: sendId, index, chunks } = job.data;
      if (publish)
        this.events.publish({ type: 'failed', queueName, sendId, jobId: String(job.id), index, chunks, failure });
    });
    this.worker.on('error', (error) => this.logger.error(`worker error: ${error.message}`));
  }

  process(job: Job<SmsChunkJobData>, token?: string): Promise<SendSmsResult> {
    if (!this.instrumentation) return this.send(job, token);
    const { queueName } = this.options;
    const run = {
      queueName,
      jobId: String(job.id),
      attempt: job.attemptsMade + 1,
      traceContext: job.data.traceContext,
    };
    return this.instrumentation.processJob(run, () => this.send(job, token));
  }

  private async send(job: Job<SmsChunkJobData>, token: string | undefined): Promise<SendSmsResult> {
    const { send, alertId: sendId } = job.data;
    const sms = this.smsService();
    const pass = await this.gate?.acquire();
    try {
      // Observers (the ledger) see which send a request belongs to: the dedupe key's send id, or the caller's own.
      const { force, ...fields } = send;
      return await sms.send({ ...fields, creditType: force, to: send.to, reference: send.reference ?? sendId });
    } catch (error) {
      // A marketing chunk that came up outside the marketing hours (queued late, or a backlog)
      // waits for the next opening instead of failing; nothing was sent.
      if (error instanceof OutsideSendingHoursError && token !== undefined) {
        const waitMs = error.opensAt.getTime() - error.checkedAt.getTime();
        this.logger.debug(`chunk ${job.id} deferred ${Math.round(waitMs / 60_000)} min to the marketing hours`);
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
      throw toJobError(error);
    } finally {
      // Unsettled, the request stays counted at its departure: the job's outcome does not wait on it.
      pass
        ?.settle()
        .catch((error: Error) => this.logger.warn(`rate gate: could not settle a request (${error.message})`));
    }
  }

  /** Looked up app-wide, so the ThaiBulkSmsModule registration need not be imported here. */
  private smsService(): SmsService {
    if (this.sms) return this.sms;
    this.sms = lookUpSmsService(this.moduleRef, this.options.registration);
    return this.sms;
  }
}

/**
 * The SmsService of `registration`, app-wide, or the clear error a worker without one gets. Also
 * called while the module is compiled (assertWorkerCanSend), where a provider may not be built yet.
 */
function lookUpSmsService(moduleRef: ModuleRef, registration: string): SmsService {
  const sms = findSmsService(moduleRef, registration);
  if (!sms) {
    throw new Error(
      `ThaiBulkSmsQueueModule: this instance runs a worker (worker: true) but no SmsService of the ThaiBulkSmsModule ` +
        `registration "${registration}" is registered. Register ThaiBulkSmsModule, or set worker: false to only enqueue.`,
    );
  }
  return sms;
}

/** The SmsService of `registration`, app-wide, when this instance has that registration. */
export function findSmsService(moduleRef: ModuleRef, registration: string): SmsService | undefined {
  try {
    return moduleRef.get<SmsService>(getSmsServiceToken(registration), { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * Fails a worker without a ThaiBulkSmsModule registration while the module is compiled, from the
 * factory of the resolved options, which the BullMQ queue's and the processor's factories wait
 * on: no queue or worker (so no Redis connection) exists yet. Were it raised in a lifecycle hook
 * instead, the connections would already be open and Nest's close() would rethrow the failed
 * init's error before any shutdown hook could close them.
 */
export function assertWorkerCanSend(options: ResolvedSmsQueueOptions, moduleRef: ModuleRef): ResolvedSmsQueueOptions {
  if (options.worker) lookUpSmsService(moduleRef, options.registration);
  return options;
}

/** An instance that only enqueues: no worker, nothing for @nestjs/bullmq's explorer to find. */
export class NoSmsQueueWorker {}

/**
 * The processor of one registration. `@Processor` carries the queue name and the worker's options
 * as class metadata, and they are only known once the options are resolved, so each registration
 * decorates its own subclass here (no shared class is mutated).
 */
export function createSmsQueueProcessor(
  options: ResolvedSmsQueueOptions,
  moduleRef: ModuleRef,
  events: SmsQueueEvents,
  instrumentation?: ThaiBulkSmsInstrumentation,
): SmsQueueProcessor | NoSmsQueueWorker {
  if (!options.worker) return new NoSmsQueueWorker();
  const RegistrationProcessor: Type<SmsQueueProcessor> = class extends SmsQueueProcessor {};
  Processor(
    { name: options.queueName },
    {
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: options.maxStalledCount,
    },
  )(RegistrationProcessor);
  return new RegistrationProcessor(options, moduleRef, events, instrumentation);
}
