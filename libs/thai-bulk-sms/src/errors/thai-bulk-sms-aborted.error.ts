import { ThaiBulkSmsError } from './thai-bulk-sms.error';

export const ABORTED_ERROR_NAME = 'ERROR_ABORTED';

/**
 * The caller's AbortSignal fired. `requestMayHaveArrived` is false only when the abort came before
 * the request left (while it waited for the rate limiter or a retry's backoff), so it provably
 * never reached the API and may be sent again; a send aborted in flight may still have gone out.
 */
export class ThaiBulkSmsAbortedError extends ThaiBulkSmsError {
  readonly requestMayHaveArrived: boolean;

  constructor(cause?: unknown, requestMayHaveArrived = true) {
    super({
      errorName: ABORTED_ERROR_NAME,
      description: 'The request was aborted.',
      category: 'caller',
      source: 'local',
      cause,
    });
    this.requestMayHaveArrived = requestMayHaveArrived;
  }

  /** Aborted while waiting to send: nothing went out. */
  static beforeSending(): ThaiBulkSmsAbortedError {
    return new ThaiBulkSmsAbortedError(undefined, false);
  }
}
