import { ThaiBulkSmsUpstreamError } from './thai-bulk-sms-upstream.error';

export const RESPONSE_TOO_LARGE_ERROR_NAME = 'ERROR_UPSTREAM_RESPONSE_TOO_LARGE';

/**
 * The API's answer was longer than `limitBytes` (MAX_RESPONSE_BODY_BYTES), so reading stopped
 * there: no answer of the real API comes near it, and buffering an unbounded body would let the
 * other end fill this process's memory. An answer came, so the request arrived: a send may have
 * gone out.
 */
export class ThaiBulkSmsResponseTooLargeError extends ThaiBulkSmsUpstreamError {
  readonly requestMayHaveArrived = true as const;
  readonly limitBytes: number;

  constructor(limitBytes: number, cause?: unknown) {
    super({
      errorName: RESPONSE_TOO_LARGE_ERROR_NAME,
      description: `ThaiBulkSMS answered with a body longer than ${limitBytes} bytes; it was not read.`,
      cause,
    });
    this.limitBytes = limitBytes;
  }
}
