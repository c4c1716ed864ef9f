// nestjs-thaibulksms: what an app needs to send SMS and OTP through ThaiBulkSMS. Named exports
// only, each listed on purpose; the other entry points are in the README, "Entry points".

// Module, options and injection
export { ThaiBulkSmsModule } from './thai-bulk-sms.module';
export type { ThaiBulkSmsModuleOptions, RetryPolicy, CreditType } from './thai-bulk-sms.options';
export {
  getSmsServiceToken,
  getOtpServiceToken,
  getCreditServiceToken,
  getHealthIndicatorToken,
  InjectSmsService,
  InjectOtpService,
  InjectCreditService,
  InjectThaiBulkSmsHealthIndicator,
} from './thai-bulk-sms.decorators';
export { ThaiBulkSmsClock } from './client/clock';

// Services, their DTOs, options and results
export { SmsService } from './sms/sms.service';
export { CreditService } from './sms/credit.service';
export { OtpService } from './otp/otp.service';
export { ThaiBulkSmsHealthIndicator } from './health/thai-bulk-sms.health';
export { DeliveryReportReceiver } from './delivery/delivery-report.receiver';
export { SendSmsDto, SendBulkSmsDto } from './sms/send-sms.dto';
export { RequestOtpDto, VerifyOtpDto } from './otp/otp.dto';
export type {
  SendSmsOptions,
  SendSmsResult,
  AcceptedRecipient,
  RejectedRecipient,
  BulkSendOptions,
  BulkSendResult,
  FailedChunk,
  SmsEstimate,
  CreditBalance,
} from './sms/sms.types';
export type { MessageCategory } from './compliance/message-category';
export type { OtpRequestResult, OtpVerifyResult } from './otp/otp.types';
export type { DeliveryReport } from './delivery/delivery-report.types';

// Errors: one class per failure kind, and what a failure says about the request
export { ThaiBulkSmsError } from './errors/thai-bulk-sms.error';
export { ThaiBulkSmsRequestError } from './errors/thai-bulk-sms-request.error';
export { ThaiBulkSmsAccountError } from './errors/thai-bulk-sms-account.error';
export { ThaiBulkSmsUpstreamError } from './errors/thai-bulk-sms-upstream.error';
export { ThaiBulkSmsTimeoutError } from './errors/thai-bulk-sms-timeout.error';
export { ThaiBulkSmsNetworkError } from './errors/thai-bulk-sms-network.error';
export { ThaiBulkSmsAbortedError } from './errors/thai-bulk-sms-aborted.error';
export { ThaiBulkSmsUnconfirmedSendError } from './errors/thai-bulk-sms-unconfirmed-send.error';
export { ThaiBulkSmsResponseTooLargeError } from './errors/thai-bulk-sms-response-too-large.error';
export {
  OtpCodeInvalidError,
  OtpTokenExpiredError,
  OtpInvalidParameterError,
  OtpApplicationNotFoundError,
  OtpVerifyOutcomeUnknownError,
} from './errors/otp.errors';
export { ThaiBulkSmsOptionsError } from './errors/options.errors';
export { requestMayHaveArrived } from './errors/request-may-have-arrived';
export { mayHaveTakenEffect } from './errors/may-have-taken-effect';

// HTTP: the exception filter and the validation pipe
export { ThaiBulkSmsExceptionFilter } from './filters/thai-bulk-sms-exception.filter';
export { ThaiBulkSmsValidationPipe } from './filters/thai-bulk-sms-validation.pipe';

// Observers: told about every vendor exchange (the ledger and telemetry are observers)
export { ThaiBulkSmsObserver } from './observers/thai-bulk-sms.observer';
export type {
  ObservedSend,
  SmsRequestObserved,
  OtpRequestObserved,
  OtpVerifyObserved,
  DeliveryReportObserved,
} from './observers/thai-bulk-sms.observer';
