/** Resolved (validated, defaulted) options of one registration. Internal to the module. */
export const THAI_BULK_SMS_RESOLVED_OPTIONS = 'THAI_BULK_SMS_RESOLVED_OPTIONS';
/** The registration's name (`'default'` unless given). Internal to the module. */
export const THAI_BULK_SMS_REGISTRATION_NAME = 'THAI_BULK_SMS_REGISTRATION_NAME';
/** The raw options as given to forRoot/forRootAsync (before validation). */
export const THAI_BULK_SMS_MODULE_OPTIONS = 'THAI_BULK_SMS_MODULE_OPTIONS';
/** The compliance policy a registration asks before each send. Internal to the module. */
export const THAI_BULK_SMS_REGISTRATION_COMPLIANCE = 'THAI_BULK_SMS_REGISTRATION_COMPLIANCE';
