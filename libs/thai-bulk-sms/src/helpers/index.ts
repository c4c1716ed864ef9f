// nestjs-thaibulksms/helpers: the small pieces the library uses itself, for apps that need them
// too: Thai phone numbers, message length, log-safe text, delivery-report parsing, the vendor's
// limits and error table, the module's defaults, the system clock, and the validation pipe's
// naming of errors for apps that build their own pipe.

// Thai mobile numbers
export { parseThaiMobile, isThaiMobile, maskPhone } from '../phone/thai-phone';
export type { PhoneParseResult } from '../phone/thai-phone';
export { IsThaiMobile } from '../phone/is-thai-mobile.decorator';

// Message length and encoding, as the vendor counts them
export { estimateMessage } from '../message/message-encoding';
export type { MessageEncoding, MessageEstimate } from '../message/message-encoding';

// Text from outside, ready for a log line
export { logSafeText, escapeLogText } from '../thai-bulk-sms.logger';

// Delivery reports, for a webhook of your own (DeliveryReportReceiver does it for you)
export { parseDeliveryReport, parseDeliveryReports } from '../delivery/delivery-report.parser';

// The vendor's limits and error table, and the module's defaults
export { MAX_RECIPIENTS_PER_REQUEST, MAX_SENDER_LENGTH } from '../message/vendor-limits';
export { ERROR_CATALOGUE } from '../errors/error-catalogue';
export type { VendorErrorName } from '../errors/error-catalogue';
export { OPTION_DEFAULTS } from '../thai-bulk-sms.options';

// Time, as the module reads it
export { SystemClock } from '../client/clock';

// The validation pipe's error names, for your own ValidationPipe or exception
export { thaiBulkSmsValidationExceptionFactory } from '../filters/thai-bulk-sms-validation.pipe';
export { THAI_BULK_SMS_FIELD_ERROR_NAMES, validationErrorName } from '../filters/validation-error-name';
