import { ThaiBulkSmsRequestError } from '../errors';

/** Thrown at start when the ledger's options are unusable; names the field, never a password. */
export class ThaiBulkSmsLedgerOptionsError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`ThaiBulkSmsLedgerModule: invalid option "${field}": ${reason}`);
    this.name = 'ThaiBulkSmsLedgerOptionsError';
  }
}

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

/** The ledger's database did not answer a read or an erasure (down, or slower than allowed). */
export class LedgerUnavailableError extends Error {
  constructor(what: string, cause: unknown) {
    super(`the message ledger could not ${what}: its database is unavailable`, { cause });
    this.name = 'LedgerUnavailableError';
  }
}
