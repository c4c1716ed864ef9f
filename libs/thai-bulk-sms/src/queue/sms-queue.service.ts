import { Logger } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { Observable } from 'rxjs';
import type { ThaiBulkSmsInstrumentation } from '../instrumentation/thai-bulk-sms.instrumentation';
import type { SmsService } from '../sms/sms.service';
import { SendSmsResult } from '../sms/sms.types';
import { SendPlan, chunkJobId, planSend } from './send-plan';
import { sendStatusOf, chunkOutcomeOf, LoadedChunk } from './send-status';
import { readEnqueueOptions } from './enqueue-options.validator';
import {
  EnqueueOptions,
  EnqueueResult,
  EnqueueSendOptions,
  SmsSendStatus,
  SmsChunkJobData,
  SmsChunkOutcome,
  SmsQueueEvent,
} from './queue.types';
import { SmsQueueDedupe } from './sms-queue.dedupe';
import { SmsQueueEvents } from './sms-queue.events';
import { keepJobsOf, ResolvedSmsQueueOptions } from './thai-bulk-sms-queue.options';

/**
 * Durable sending on Redis (BullMQ). `enqueue` turns a send of any size into chunk jobs of at most
 * 500 numbers under one send id; workers in any instance send them within the account-wide rate
 * limit; `getStatus` reads where the send stands. Available in every instance, worker or not.
 */
export class SmsQueue {
  private readonly logger = new Logger('ThaiBulkSmsQueue');

  constructor(
    private readonly options: ResolvedSmsQueueOptions,
    /** The BullMQ queue itself, for anything this class does not cover (metrics, pause, clean). */
    readonly queue: Queue<SmsChunkJobData, SendSmsResult>,
    private readonly events: SmsQueueEvents,
    private readonly dedupe: SmsQueueDedupe,
    /** The SmsService the worker sends with, when this instance has that registration. */
    private readonly findSmsService: () => SmsService | undefined = () => undefined,
    /** Traces each enqueue and carries its context into the jobs (ThaiBulkSmsInstrumentation). */
    private readonly instrumentation?: ThaiBulkSmsInstrumentation,
  ) {
    // Without a listener BullMQ drops connection errors silently; with one they reach the log.
    queue.on('error', (error) => this.logger.error(`queue connection error: ${error.message}`));
  }

  /** Finished chunk jobs: this instance's worker's, or the whole queue's with `events: 'queue'`. */
  get events$(): Observable<SmsQueueEvent> {
    return this.events.events$;
  }

  on<T extends SmsQueueEvent['type']>(
    type: T,
    listener: (event: Extract<SmsQueueEvent, { type: T }>) => void,
  ): () => void {
    return this.events.on(type, listener);
  }

  /**
   * Queues a send of any number of recipients and answers once Redis holds every chunk job (all
   * added in one MULTI: all or none). Answers the send id — not a BullMQ job id: the chunk jobs
   * are `<id>/0`, `<id>/1`, …. Invalid numbers are refused now and returned in `rejected`; a
   * send with no valid number, an empty message or a malformed field is refused with the
   * vendor's error name before anything is queued (and, where this instance has the worker's
   * ThaiBulkSmsModule registration, a message longer than its `maxMessageParts` or one the compliance
   * policy refuses — a marketing send outside the marketing hours is queued as a job delayed to
   * the next opening instead), and an unknown option key with
   * SmsQueueUnknownOptionError. With `dedupeKey`, a second enqueue of the same send — from any
   * instance, within `dedupeTtlSeconds` of the first — adds nothing and answers the same id
   * (`duplicate: true`); the same key for another send is SmsQueueDedupeConflictError.
   */
  async enqueue(send: EnqueueSendOptions, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    const { dedupeKey, jobOptions } = readEnqueueOptions(options);
    const sms = this.findSmsService();
    // A marketing send outside the marketing hours waits for the next opening (strict compliance).
    const deferral: { waitMs?: number } = {};
    const validate =
      sms &&
      ((fields: EnqueueSendOptions) => {
        deferral.waitMs = sms.validate(fields, { inMs: jobOptions.delay, deferOutsideHours: true }).waitMs;
      });
    const plan = planSend(send, dedupeKey, Date.now(), validate);
    const opts = {
      ...this.baseJobOptions(),
      ...jobOptions,
      ...(deferral.waitMs !== undefined && { delay: deferral.waitMs }),
    };
    const duplicate = this.instrumentation
      ? await this.instrumentation.enqueue(this.options.queueName, (traceContext) =>
          this.add(withTraceContext(plan, traceContext), dedupeKey, opts),
        )
      : await this.add(plan, dedupeKey, opts);
    return {
      id: plan.sendId,
      chunks: plan.chunks.length,
      recipients: plan.recipients,
      rejected: plan.rejected,
      duplicate,
    };
  }

  /** Adds the plan's jobs; true when its dedupe key named a send already queued (nothing added). */
  private async add(plan: SendPlan, dedupeKey: string | undefined, opts: JobsOptions): Promise<boolean> {
    if (dedupeKey === undefined) {
      await this.dedupe.add(plan, opts);
      return false;
    }
    const duplicate = !(await this.dedupe.addOnce(plan, dedupeKey, opts));
    if (duplicate) this.logger.debug(`send ${plan.sendId} is already queued under its dedupe key; nothing added`);
    return duplicate;
  }

  /** Where the send stands; undefined when no chunk of it is (any longer) in Redis. */
  async getStatus(sendId: string): Promise<SmsSendStatus | undefined> {
    const chunks = await this.loadChunks(sendId);
    return chunks ? sendStatusOf(sendId, chunks) : undefined;
  }

  /** Each chunk's outcome, with every accepted number's message id; undefined for unknown ids. */
  async getResults(sendId: string): Promise<SmsChunkOutcome[] | undefined> {
    const chunks = await this.loadChunks(sendId);
    return chunks?.map(chunkOutcomeOf);
  }

  private async loadChunks(sendId: string): Promise<LoadedChunk[] | undefined> {
    if (typeof sendId !== 'string' || sendId === '' || sendId.includes(':')) return undefined;
    const first = await this.loadChunk(sendId, 0);
    if (!first.job) return undefined;
    const rest = await Promise.all(
      Array.from({ length: first.job.data.chunks - 1 }, (_, i) => this.loadChunk(sendId, i + 1)),
    );
    return [first, ...rest];
  }

  private async loadChunk(sendId: string, index: number): Promise<LoadedChunk> {
    const jobId = chunkJobId(sendId, index);
    // State first, then the job: a job only moves forward (waiting → active → completed/failed),
    // so the data read second is at least as far along as the state (read the other way round, a
    // chunk that finished in between would show as completed without its result).
    const state = await this.queue.getJobState(jobId);
    const job: Job<SmsChunkJobData, SendSmsResult> | undefined = await this.queue.getJob(jobId);
    if (!job || state === 'unknown') return { index, jobId, state: 'missing' };
    return {
      index,
      jobId,
      job,
      state:
        state === 'completed' || state === 'failed' || state === 'active' || state === 'delayed' ? state : 'waiting',
    };
  }

  private baseJobOptions(): JobsOptions {
    const { attempts, backoff, removeOnComplete, removeOnFail } = this.options;
    return {
      attempts,
      backoff: { type: backoff.type, delay: backoff.delayMs },
      removeOnComplete: keepJobsOf(removeOnComplete),
      removeOnFail: keepJobsOf(removeOnFail),
    };
  }
}

/** Every chunk job carries the enqueue's trace context (not part of the fingerprint). */
function withTraceContext(plan: SendPlan, traceContext: Readonly<Record<string, string>> | undefined): SendPlan {
  if (!traceContext) return plan;
  return { ...plan, chunks: plan.chunks.map((chunk) => ({ ...chunk, traceContext })) };
}

/** Queue depth as telemetry reads it: prioritized and paused jobs wait too. */
export async function queueDepth(queue: Queue): Promise<Record<string, number>> {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
  const count = (state: string) => counts[state] ?? 0;
  return {
    waiting: count('waiting') + count('paused') + count('prioritized'),
    active: count('active'),
    delayed: count('delayed'),
    failed: count('failed'),
  };
}
