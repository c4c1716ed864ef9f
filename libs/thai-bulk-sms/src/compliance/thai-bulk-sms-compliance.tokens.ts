/** The raw options as given to ThaiBulkSmsComplianceModule.forRoot/forRootAsync (before validation). */
export const THAI_BULK_SMS_COMPLIANCE_OPTIONS = 'THAI_BULK_SMS_COMPLIANCE_OPTIONS';
/** Validated, defaulted options (ResolvedComplianceOptions): inject them in a policy of your own. */
export const THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS = 'THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS';
