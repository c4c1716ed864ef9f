import { ThaiBulkSmsError, ThaiBulkSmsErrorDetails } from './thai-bulk-sms.error';

/** The caller's own mistake (bad number, empty message, past schedule…): fix the input. */
export class ThaiBulkSmsRequestError extends ThaiBulkSmsError {
  constructor(details: Omit<ThaiBulkSmsErrorDetails, 'category'>, message?: string) {
    super({ ...details, category: 'caller' }, message);
  }
}
