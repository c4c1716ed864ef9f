import { ThaiBulkSmsQueueOptionsError } from './thai-bulk-sms-queue.options';

/** Thrown when a dedupe key already names a different alert (other text or recipients). */
export class SmsQueueDedupeConflictError extends Error {
  constructor(readonly alertId: string) {
    super(
      `dedupe key of alert ${alertId} is already used by a different alert (other message, options or recipients); nothing was queued`,
    );
    this.name = 'SmsQueueDedupeConflictError';
  }
}

/** Keys callers reach for that mean something else here, and what they meant. */
const HINTS: Readonly<Record<string, string>> = {
  delay: 'delayMs (milliseconds)',
  jobId: 'dedupeKey (the BullMQ job ids are <alert id>/<chunk index>)',
  deduplication: 'dedupeKey',
};

/**
 * A key `enqueue`'s options do not know: a programming error of the caller (hence a TypeError),
 * refused before anything is queued, because dropping it silently changes what is sent — `delay`
 * instead of `delayMs` would send at once.
 */
export class SmsQueueUnknownOptionError extends TypeError {
  constructor(
    readonly option: string,
    readonly known: readonly string[],
  ) {
    const hint = Object.hasOwn(HINTS, option) ? `; did you mean ${HINTS[option]}?` : '';
    super(`SmsQueue.enqueue: unknown option "${option}" (known: ${known.join(', ')})${hint}`);
    this.name = 'SmsQueueUnknownOptionError';
  }
}

/**
 * Bootstrap found BullMQ's global rate limit of the queue in Redis set to another value than this
 * instance's `maxTps`/`limiterWindowMs`. Every worker of a queue runs under the value in Redis, so
 * an instance configured otherwise would hold a limit it does not enforce: it refuses to start.
 */
export class SmsQueueRateLimitMismatchError extends ThaiBulkSmsQueueOptionsError {
  constructor(
    readonly queueName: string,
    readonly stored: { readonly max: number; readonly duration: number },
    readonly configured: { readonly max: number; readonly duration: number },
  ) {
    super(
      'maxTps',
      `queue "${queueName}" has BullMQ's global rate limit ${stored.max} jobs per ${stored.duration} ms in Redis ` +
        `(written by another instance or by an operator), but this instance is configured for ${configured.max} per ${configured.duration} ms. ` +
        'Every instance of a queue must use the same maxTps and limiterWindowMs. To change the account rate, write the new value ' +
        'first (`await smsQueue.queue.setGlobalRateLimit(max, windowMs)`, which every running worker follows at once), then deploy ' +
        'instances configured with it.',
    );
    this.name = 'SmsQueueRateLimitMismatchError';
  }
}
