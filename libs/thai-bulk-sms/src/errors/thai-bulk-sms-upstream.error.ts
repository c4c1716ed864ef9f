import { ThaiBulkSmsError, ThaiBulkSmsErrorDetails } from './thai-bulk-sms.error';

/** The vendor failed (5xx, HTML error page, unreadable answer): try again later. */
export class ThaiBulkSmsUpstreamError extends ThaiBulkSmsError {
  constructor(details: Omit<ThaiBulkSmsErrorDetails, 'category'>, message?: string) {
    super({ ...details, category: 'upstream' }, message);
  }
}
