import { SmsQueueUnknownOptionError } from '../errors';
import type { JobsOptions } from 'bullmq';
import { localVendorError } from '../errors';
import { EnqueueOptions } from './queue.types';

const KNOWN: readonly (keyof EnqueueOptions)[] = ['dedupeKey', 'delayMs', 'priority'];

/** BullMQ's highest priority number (the lowest priority). */
const MAX_PRIORITY = 2_097_152;

/**
 * `enqueue`'s per-call options, checked before anything is planned or queued: an unknown key is
 * SmsQueueUnknownOptionError (caller's code), a bad value of a known one ERROR_FORM (caller's data,
 * like the other send fields). Answers the BullMQ job options they stand for.
 */
export function readEnqueueOptions(options: unknown): { dedupeKey?: string; jobOptions: JobsOptions } {
  if (options === undefined) return { jobOptions: {} };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `SmsQueue.enqueue: options must be an object of ${KNOWN.join(', ')} (got ${options === null ? 'null' : typeof options})`,
    );
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(KNOWN as readonly string[]).includes(key)) throw new SmsQueueUnknownOptionError(key, KNOWN);
  }
  const jobOptions: JobsOptions = {};
  if (given.priority !== undefined) jobOptions.priority = integerIn('priority', given.priority, MAX_PRIORITY);
  if (given.delayMs !== undefined) jobOptions.delay = integerIn('delayMs', given.delayMs, Number.MAX_SAFE_INTEGER);
  // The key itself is checked with the send (planSend): its length is part of the id rules.
  return { ...(given.dedupeKey !== undefined ? { dedupeKey: given.dedupeKey as string } : {}), jobOptions };
}

function integerIn(field: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw localVendorError('ERROR_FORM', `${field} must be an integer from 0 to ${max}.`);
  }
  return value;
}
