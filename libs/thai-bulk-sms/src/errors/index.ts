export * from './error-catalogue';
export * from './thai-bulk-sms.error';
export * from './thai-bulk-sms-request.error';
export * from './thai-bulk-sms-account.error';
export * from './thai-bulk-sms-upstream.error';
export * from './thai-bulk-sms-timeout.error';
export * from './thai-bulk-sms-network.error';
export * from './thai-bulk-sms-aborted.error';
export * from './otp.errors';
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
