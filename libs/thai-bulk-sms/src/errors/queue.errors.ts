import { ThaiBulkSmsAccountError } from './thai-bulk-sms-account.error';
import { ThaiBulkSmsRequestError } from './thai-bulk-sms-request.error';

/** Our names for the queue's own failures; the vendor knows none of them. */
export const QUEUE_ERROR_NAMES = {
  dedupeConflict: 'CONFLICT',
  unreachable: 'ERROR_QUEUE_UNREACHABLE',
} as const;

/**
 * `enqueue` with a dedupe key that already names a different send (other text, options or
 * recipients) within its TTL: nothing was queued. The caller's mistake, answered 409 by the filter.
 */
export class SmsQueueDedupeConflictError extends ThaiBulkSmsRequestError {
  constructor(
    /** The id of the send the key already names. */
    readonly sendId: string,
  ) {
    const description =
      'dedupeKey already names a different send (other text, options or recipients); nothing was queued.';
    super({ errorName: QUEUE_ERROR_NAMES.dedupeConflict, description, source: 'local' });
  }
}

/**
 * Redis did not answer within `readyTimeoutMs` while the queue module started or stopped: our
 * infrastructure, not the caller's mistake. Names host and port, never a password.
 */
export class ThaiBulkSmsQueueConnectionError extends ThaiBulkSmsAccountError {
  constructor(
    readonly what: string,
    readonly address: string,
    readonly timeoutMs: number,
    readonly lastError?: string,
  ) {
    super(
      {
        errorName: QUEUE_ERROR_NAMES.unreachable,
        description: `The queue could not reach Redis within ${timeoutMs} ms.`,
        source: 'local',
      },
      `ThaiBulkSmsQueueModule: the ${what} could not reach Redis at ${address} within ${timeoutMs} ms` +
        (lastError ? ` (last error: ${lastError})` : '') +
        '; is Redis running, and is the connection option right?',
    );
  }
}
