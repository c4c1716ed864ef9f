import { ThaiBulkSmsError, ThaiBulkSmsErrorDetails } from './thai-bulk-sms.error';

/** An answer we cannot read, or that does not account for what was sent. */
export const BAD_RESPONSE_ERROR_NAME = 'ERROR_UPSTREAM_BAD_RESPONSE';

/** The vendor failed (5xx, HTML error page, unreadable answer): try again later. */
export class ThaiBulkSmsUpstreamError extends ThaiBulkSmsError {
  constructor(details: Omit<ThaiBulkSmsErrorDetails, 'category'>, message?: string) {
    super({ ...details, category: 'upstream' }, message);
  }
}
