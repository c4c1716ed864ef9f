import { ThaiBulkSmsError } from './thai-bulk-sms.error';

export const TIMEOUT_ERROR_NAME = 'ERROR_UPSTREAM_TIMEOUT';

/**
 * No complete answer within `timeoutMs`. For a send, the message may or may not have gone out:
 * the library never resends it on its own.
 */
export class ThaiBulkSmsTimeoutError extends ThaiBulkSmsError {
  readonly timeoutMs: number;

  constructor(timeoutMs: number, cause?: unknown) {
    super({
      errorName: TIMEOUT_ERROR_NAME,
      description: `ThaiBulkSMS did not answer within ${timeoutMs} ms.`,
      category: 'upstream',
      cause,
    });
    this.timeoutMs = timeoutMs;
  }
}
