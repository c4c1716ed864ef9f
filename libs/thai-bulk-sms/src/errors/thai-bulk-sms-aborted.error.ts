import { ThaiBulkSmsError } from './thai-bulk-sms.error';

export const ABORTED_ERROR_NAME = 'ERROR_ABORTED';

/** The caller's AbortSignal fired. A send aborted in flight may still have gone out. */
export class ThaiBulkSmsAbortedError extends ThaiBulkSmsError {
  constructor(cause?: unknown) {
    super({ errorName: ABORTED_ERROR_NAME, description: 'The request was aborted.', category: 'caller', source: 'local', cause });
  }
}
