import { ThaiBulkSmsAccountError } from './thai-bulk-sms-account.error';
import { ThaiBulkSmsRequestError } from './thai-bulk-sms-request.error';

/** Our names for the ledger's own failures. */
export const LEDGER_ERROR_NAMES = {
  unavailable: 'LEDGER_UNAVAILABLE',
  writeTimeout: 'LEDGER_WRITE_TIMEOUT',
} as const;

/**
 * A ledger query the caller got wrong (a phone that is no Thai mobile number, a bad cursor, an
 * unknown status, a range the wrong way round): a 400 with the vendor-style name through the
 * library's filter, and nothing was read.
 */
export class LedgerQueryError extends ThaiBulkSmsRequestError {
  constructor(errorName: 'ERROR_MSISDN' | 'ERROR_QUERY_STRING', message: string) {
    super({ errorName, description: message, source: 'local' }, message);
  }
}

/**
 * The ledger's database did not answer a read or an erasure (down, or slower than allowed): our
 * infrastructure, answered 503 by the filter.
 */
export class LedgerUnavailableError extends ThaiBulkSmsAccountError {
  constructor(what: string, cause: unknown) {
    super(
      {
        errorName: LEDGER_ERROR_NAMES.unavailable,
        description: 'The message ledger could not be read: its database is unavailable.',
        source: 'local',
        cause,
      },
      `the message ledger could not ${what}: its database is unavailable`,
    );
  }
}

/** A ledger write the database did not answer within `writeTimeoutMs`; the write is buffered. */
export class LedgerWriteTimeoutError extends ThaiBulkSmsAccountError {
  constructor(timeoutMs: number) {
    super(
      {
        errorName: LEDGER_ERROR_NAMES.writeTimeout,
        description: `The ledger's database did not answer a write within ${timeoutMs} ms.`,
        source: 'local',
      },
      `no answer within ${timeoutMs} ms`,
    );
  }
}
