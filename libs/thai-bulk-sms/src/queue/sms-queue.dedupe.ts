import { SmsQueueDedupeConflictError } from '../errors';
import { OnApplicationShutdown } from '@nestjs/common';
import { Job } from 'bullmq';
import type { IRedisTransaction, JobsOptions } from 'bullmq';
import { SendSmsResult } from '../sms/sms.types';
import { SendPlan, chunkJobId } from './send-plan';
import { ChunkQueue, SmsChunkJobData } from './queue.types';

/** Name of every chunk job in BullMQ (the queue holds nothing else). */
export const SMS_CHUNK_JOB_NAME = 'sms-chunk';

/** The part of BullMQ's client (ioredis) the transactions use. */
interface TransactionRedis {
  watch(...keys: string[]): Promise<unknown>;
  unwatch(): Promise<unknown>;
  get(key: string): Promise<string | null>;
  multi(): IRedisTransaction & {
    set(key: string, value: string, px: 'PX', ms: number): unknown;
    exec(): Promise<[Error | null, unknown][] | null>;
  };
}

/** What the dedupe record of a key holds (JSON; `alertId` is the send's id, stored under its first name). */
interface DedupeRecord {
  readonly fingerprint: string;
  readonly alertId: string;
  readonly chunks: number;
  readonly queuedAt: number;
}

/** Another caller changing the record (or a chunk job) between our read and our write: read again. */
const MAX_ATTEMPTS = 5;

/**
 * Adds a send's chunk jobs in one MULTI (all or none, also when the enqueuing process dies),
 * and, for a send with a dedupe key, only if the key is free — checked and taken in that same
 * transaction. The key's record, `<prefix>:<queue>:dedupe:<key>`, is written with the jobs and
 * expires on its own after `ttlMs`, whatever happens to the jobs. Why a record of its own: BullMQ
 * removes finished jobs one by one, so the jobs themselves cannot say whether the key is free.
 *
 * Check and write are one transaction by optimistic locking: WATCH the record (and the chunk
 * jobs' keys), read, MULTI … EXEC; EXEC does nothing if another client touched a watched key in
 * between, and we read again. WATCH belongs to a connection, so this runs on a connection of its
 * own (`connection`, a second BullMQ Queue for its scripts), one transaction at a time per instance.
 */
export class SmsQueueDedupe implements OnApplicationShutdown {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    /** Where unkeyed sends are added (the shared queue connection: no WATCH needed). */
    private readonly queue: ChunkQueue,
    /** A Queue of the same name and prefix on its own connection, only for keyed transactions. */
    readonly connection: ChunkQueue,
    private readonly ttlMs: number,
  ) {}

  /** Closes the dedicated connection (after SmsQueueReadiness saw it ready: see beforeApplicationShutdown there). */
  async onApplicationShutdown(): Promise<void> {
    await this.tail;
    await this.connection.close();
  }

  /** Redis key of a dedupe key's record. */
  recordKey(dedupeKey: string): string {
    return `${this.queue.keys['']}dedupe:${dedupeKey}`;
  }

  /** Adds the chunk jobs of a send without a dedupe key, in one MULTI. */
  async add(plan: SendPlan, opts: JobsOptions): Promise<void> {
    const client = (await this.queue.client) as unknown as TransactionRedis;
    const multi = client.multi();
    const added = this.addChunks(this.queue, multi, plan, opts);
    checkResults(await multi.exec(), 0);
    await added;
  }

  /**
   * Adds the send unless its key is taken: answers true when this call queued it, false when the
   * key names the same send already (a duplicate); throws SmsQueueDedupeConflictError when the
   * key names a different one.
   */
  addOnce(plan: SendPlan, dedupeKey: string, opts: JobsOptions): Promise<boolean> {
    // One transaction at a time on the dedicated connection: a second WATCH or EXEC of another
    // caller on it would reset ours.
    const run = this.tail.then(() => this.transaction(plan, dedupeKey, opts));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async transaction(plan: SendPlan, dedupeKey: string, opts: JobsOptions): Promise<boolean> {
    const queue = this.connection;
    const client = (await queue.client) as unknown as TransactionRedis;
    const key = this.recordKey(dedupeKey);
    const ids = plan.chunks.map((chunk) => chunkJobId(plan.sendId, chunk.index));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await client.watch(key, ...ids.map((id) => queue.toKey(id)));
      const raw = await client.get(key);
      if (raw !== null) {
        await client.unwatch();
        return this.duplicateOf(plan, fingerprintOf(raw));
      }
      // No record: the key is free, but jobs of an earlier send under the same key may still be
      // kept (its record expired, the jobs' retention is longer). Still pending: that send is
      // being sent — a duplicate (or a conflict), never a second copy. Finished: removed, so the
      // new send's jobs (same ids) can be added.
      const earlier = (
        await Promise.all(ids.map((id) => Job.fromId<SmsChunkJobData, SendSmsResult>(queue, id)))
      ).filter((job) => job !== undefined);
      const pending = earlier.find((job) => !job.finishedOn);
      if (pending) {
        await client.unwatch();
        return this.duplicateOf(plan, pending.data.fingerprint);
      }
      if (earlier.length > 0) {
        await client.unwatch();
        await Promise.all(earlier.map((job) => job.remove()));
        continue;
      }
      const record: DedupeRecord = {
        fingerprint: plan.fingerprint,
        alertId: plan.sendId,
        chunks: plan.chunks.length,
        queuedAt: Date.now(),
      };
      const multi = client.multi();
      multi.set(key, JSON.stringify(record), 'PX', this.ttlMs);
      const added = this.addChunks(queue, multi, plan, opts);
      const results = await multi.exec();
      await added;
      if (results === null) continue; // a watched key changed: read again
      checkResults(results, 1);
      return true;
    }
    throw new Error(
      `SmsQueue: dedupe key of send ${plan.sendId} kept changing under ${MAX_ATTEMPTS} attempts to queue it; nothing was queued`,
    );
  }

  private duplicateOf(plan: SendPlan, fingerprint: string): false {
    if (fingerprint !== plan.fingerprint) throw new SmsQueueDedupeConflictError(plan.sendId);
    return false;
  }

  /** Queues each chunk's add script on `multi` (BullMQ's own, as Queue.addBulk does). */
  private addChunks(queue: ChunkQueue, multi: IRedisTransaction, plan: SendPlan, opts: JobsOptions): Promise<unknown> {
    return Promise.all(
      plan.chunks.map((data) => {
        const jobId = chunkJobId(plan.sendId, data.index);
        return new Job<SmsChunkJobData, SendSmsResult>(
          queue,
          SMS_CHUNK_JOB_NAME,
          data,
          { ...opts, jobId },
          jobId,
        ).addJob(multi);
      }),
    );
  }
}

/** The record's fingerprint; a record that is not our JSON is taken as a bare fingerprint. */
function fingerprintOf(raw: string): string {
  try {
    const record = JSON.parse(raw) as Partial<DedupeRecord> | null;
    if (record && typeof record.fingerprint === 'string') return record.fingerprint;
  } catch {
    // Not JSON: written by hand (`SET … <fingerprint>`) or by another tool.
  }
  return raw;
}

/** EXEC's answers from `from` on are the chunk jobs' ids; a negative number is BullMQ refusing one. */
function checkResults(results: [Error | null, unknown][] | null, from: number): void {
  if (results === null) throw new Error('SmsQueue: the MULTI adding the chunk jobs was aborted; nothing was queued');
  // A MULTI does not roll back: a command that fails leaves the others done, so say so.
  for (const [error, value] of results.slice(from)) {
    if (error)
      throw new Error(`SmsQueue: Redis refused a chunk job (${error.message}); the send may be partly queued`, {
        cause: error,
      });
    if (typeof value === 'number' && value < 0)
      throw new Error(`SmsQueue: BullMQ refused a chunk job (code ${value}); the send may be partly queued`);
  }
}
