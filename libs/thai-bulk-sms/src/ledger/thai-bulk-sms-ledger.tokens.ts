/** The options as given to forRoot / returned by forRootAsync's factory. */
export const THAI_BULK_SMS_LEDGER_MODULE_OPTIONS = 'THAI_BULK_SMS_LEDGER_MODULE_OPTIONS';
/** The options checked, with defaults filled in (ResolvedLedgerOptions). */
export const THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS = 'THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS';
/** The clock of the ledger (the `clock` option, or SystemClock). */
export const THAI_BULK_SMS_LEDGER_CLOCK = 'THAI_BULK_SMS_LEDGER_CLOCK';
