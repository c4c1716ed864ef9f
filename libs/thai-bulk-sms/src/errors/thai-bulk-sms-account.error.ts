import { ThaiBulkSmsError, ThaiBulkSmsErrorDetails } from './thai-bulk-sms.error';

/** Our account or configuration is wrong (credentials, suspended key, IP, credit): an operator must act. */
export class ThaiBulkSmsAccountError extends ThaiBulkSmsError {
  constructor(details: Omit<ThaiBulkSmsErrorDetails, 'category'>, message?: string) {
    super({ ...details, category: 'account' }, message);
  }
}
