/** The raw options as given to forRoot/forRootAsync. */
export const THAI_BULK_SMS_TELEMETRY_MODULE_OPTIONS = 'THAI_BULK_SMS_TELEMETRY_MODULE_OPTIONS';
