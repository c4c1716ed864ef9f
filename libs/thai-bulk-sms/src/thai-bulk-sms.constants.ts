// The vendor's limits live on the ground floor, where the sandbox can reach them too.
export {
  MAX_RECIPIENTS_PER_REQUEST,
  DEFAULT_MAX_TPS,
  DEFAULT_MAX_MESSAGE_PARTS,
  MAX_TAGS,
  MAX_TAG_LENGTH,
  MAX_SENDER_LENGTH,
} from './message/vendor-limits';
export const DEFAULT_BASE_URL = 'https://api-v2.thaibulksms.com';
export const DEFAULT_OTP_BASE_URL = 'https://otp.thaibulksms.com';
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_SENDER = 'SMS.';
export const DEFAULT_MAX_CONCURRENCY = 16;
/** Name used when the module is registered without one. */
export const DEFAULT_REGISTRATION_NAME = 'default';
export const SMS_PATH = '/sms';
export const CREDIT_PATH = '/credit';
export const OTP_REQUEST_PATH = '/v2/otp/request';
export const OTP_VERIFY_PATH = '/v2/otp/verify';
/**
 * The longest answer body a transport reads, in bytes; past it the exchange fails with
 * ThaiBulkSmsResponseTooLargeError. The largest real answer (500 numbers with their message ids)
 * is under 100 KB; every transport must apply this limit while reading, never after buffering.
 */
export const MAX_RESPONSE_BODY_BYTES = 1024 * 1024;
