// The library's own imports of errors/ go through this list; what users get is in the entry points.
export {
  isVendorErrorName,
  describeError,
  categoryForStatus,
  ERROR_CATALOGUE,
  VENDOR_ERROR_NAMES,
} from './error-catalogue';
export type { ErrorCategory, CatalogueCodeSource, CatalogueEntry, VendorErrorName } from './error-catalogue';
export { ThaiBulkSmsError } from './thai-bulk-sms.error';
export type { ThaiBulkSmsErrorDetails } from './thai-bulk-sms.error';
export { ThaiBulkSmsRequestError } from './thai-bulk-sms-request.error';
export { ThaiBulkSmsAccountError } from './thai-bulk-sms-account.error';
export { BAD_RESPONSE_ERROR_NAME, ThaiBulkSmsUpstreamError } from './thai-bulk-sms-upstream.error';
export { TIMEOUT_ERROR_NAME, ThaiBulkSmsTimeoutError } from './thai-bulk-sms-timeout.error';
export { NETWORK_ERROR_NAME, ThaiBulkSmsNetworkError } from './thai-bulk-sms-network.error';
export { ABORTED_ERROR_NAME, ThaiBulkSmsAbortedError } from './thai-bulk-sms-aborted.error';
export {
  OTP_ERROR_NAMES,
  OtpCodeInvalidError,
  OtpTokenExpiredError,
  OtpInvalidParameterError,
  OtpApplicationNotFoundError,
  OtpVerifyOutcomeUnknownError,
} from './otp.errors';
export type { OtpErrorOptions } from './otp.errors';
export { vendorError, localVendorError, errorOfCategory } from './vendor-error.factory';
export type { VendorErrorInput } from './vendor-error.factory';
export { mayHaveTakenEffect } from './may-have-taken-effect';
export { requestMayHaveArrived } from './request-may-have-arrived';
export { ThaiBulkSmsUnconfirmedSendError } from './thai-bulk-sms-unconfirmed-send.error';
export {
  ThaiBulkSmsResponseTooLargeError,
  RESPONSE_TOO_LARGE_ERROR_NAME,
} from './thai-bulk-sms-response-too-large.error';
export {
  COMPLIANCE_ERROR_NAMES,
  ThaiBulkSmsComplianceError,
  RecipientOptedOutError,
  OptOutTextMissingError,
  OutsideSendingHoursError,
  ScheduledOutsideSendingHoursError,
  LinkNotRegisteredError,
  LinkShortenerNotAllowedError,
  ShortenUrlNotAllowedError,
  SuppressionListUnavailableError,
} from './compliance.errors';
export type { ComplianceErrorName } from './compliance.errors';
export {
  ThaiBulkSmsOptionsError,
  ThaiBulkSmsQueueOptionsError,
  ThaiBulkSmsComplianceOptionsError,
  ThaiBulkSmsLedgerOptionsError,
  ThaiBulkSmsTelemetryOptionsError,
  SandboxOptionsError,
  SandboxEnvError,
  SmsQueueRateLimitMismatchError,
  SmsQueueUnknownOptionError,
} from './options.errors';
export { OptionsReader } from './options-reader';
export type { OptionsReaderSettings, OptionsErrorClass } from './options-reader';
export { QUEUE_ERROR_NAMES, SmsQueueDedupeConflictError, ThaiBulkSmsQueueConnectionError } from './queue.errors';
export { LEDGER_ERROR_NAMES, LedgerQueryError, LedgerUnavailableError, LedgerWriteTimeoutError } from './ledger.errors';
