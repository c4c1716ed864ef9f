import { UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import { ThaiBulkSmsError, ThaiBulkSmsNetworkError } from '../errors';
import { SmsChunkFailure, SmsChunkJobData } from './queue.types';

/** A chunk whose worker died more often than `maxStalledCount` allows. */
export const STALLED_ERROR_NAME = 'ERROR_QUEUE_STALLED';
/** A failure that carried no name we know. */
export const UNKNOWN_FAILURE_NAME = 'ERROR_QUEUE_FAILED';

const NAMED = /^([A-Z][A-Z0-9_]{2,}): ([\s\S]*)$/;

/**
 * What the processor throws for a failed send. The library's client policy, applied to jobs: only
 * a send that provably never reached the API (connection refused, DNS) is tried again (BullMQ's
 * attempts and backoff); everything else — timeouts, resets, 5xx, vendor errors, programming
 * errors — may have gone out or will fail again, so it ends the job (UnrecoverableError). The
 * message starts with the vendor error name, which is all Redis keeps of the error.
 */
export function toJobError(error: unknown): Error {
  const name =
    error instanceof ThaiBulkSmsError ? error.errorName : error instanceof Error ? error.name : UNKNOWN_FAILURE_NAME;
  const message = error instanceof Error ? error.message : String(error);
  const text = `${NAMED.test(`${name}: x`) ? name : UNKNOWN_FAILURE_NAME}: ${message}`;
  if (error instanceof ThaiBulkSmsNetworkError && error.requestMayHaveArrived === false) {
    return new Error(text, { cause: error });
  }
  return new UnrecoverableError(text);
}

/** The failure as stored on the job (`failedReason`), named. */
export function failureOf(
  job: Pick<Job<SmsChunkJobData>, 'id' | 'data' | 'failedReason' | 'attemptsMade'>,
): SmsChunkFailure {
  const reason = job.failedReason ?? '';
  const named = NAMED.exec(reason);
  let errorName = named ? named[1] : UNKNOWN_FAILURE_NAME;
  if (!named && /stalled/i.test(reason)) errorName = STALLED_ERROR_NAME;
  return {
    index: job.data.index,
    jobId: String(job.id),
    errorName,
    message: named ? named[2] : reason,
    recipients: job.data.send.to.length,
    attemptsMade: job.attemptsMade,
  };
}

/** After BullMQ's `failed` event: true when the job will not run again. */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'>, error: Error | undefined): boolean {
  if (error instanceof UnrecoverableError || error?.name === 'UnrecoverableError') return true;
  if (error && /stalled more than/i.test(error.message)) return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}
