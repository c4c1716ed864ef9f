// The public API of nestjs-thaibulksms. Named exports only.

// Module and registration
export { ThaiBulkSmsModule } from './thai-bulk-sms.module';
export type {
  ThaiBulkSmsModuleExtras,
  ThaiBulkSmsForRootOptions,
  ThaiBulkSmsForRootAsyncOptions,
} from './thai-bulk-sms.module-definition';
export { THAI_BULK_SMS_MODULE_OPTIONS } from './thai-bulk-sms.tokens';
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
export type {
  ThaiBulkSmsModuleOptions,
  ResolvedThaiBulkSmsOptions,
  RetryPolicy,
  CreditType,
} from './thai-bulk-sms.options';
export { OPTION_DEFAULTS } from './thai-bulk-sms.options';
export { resolveThaiBulkSmsOptions, ThaiBulkSmsOptionsError } from './thai-bulk-sms.options-validation';
export * from './thai-bulk-sms.constants';

// Services, their types and DTOs
export { SmsService } from './sms/sms.service';
export { CreditService } from './sms/credit.service';
export * from './sms/sms.types';
export {
  SmsContentDto,
  SendSmsDto,
  SendBulkSmsDto,
  RECIPIENT_LIST_CONSTRAINT,
  MAX_RECIPIENTS_CONSTRAINT,
} from './sms/send-sms.dto';
export { OtpService } from './otp/otp.service';
export * from './otp/otp.types';
export { RequestOtpDto, VerifyOtpDto } from './otp/otp.dto';

// The wire (swap the transport, or drive the client's clock in tests)
export { ThaiBulkSmsTransport } from './client/thai-bulk-sms.transport';
export type { TransportRequest, TransportResponse } from './client/thai-bulk-sms.transport';
export { AxiosThaiBulkSmsTransport } from './client/axios.transport';
export { ThaiBulkSmsClock, SystemClock } from './client/clock';
export { TpsRateLimiter } from './client/rate-limiter';
export { BAD_RESPONSE_ERROR_NAME, OTP_UNKNOWN_ERROR_NAME } from './client/vendor-response.mapper';

// Errors and the filter
export * from './errors';
export { ThaiBulkSmsExceptionFilter } from './filters/thai-bulk-sms-exception.filter';
export { httpAnswerFor, SERVICE_UNAVAILABLE_MESSAGE } from './filters/error-http-status';
export type { ErrorHttpAnswer } from './filters/error-http-status';
export {
  ThaiBulkSmsValidationPipe,
  thaiBulkSmsValidationExceptionFactory,
} from './filters/thai-bulk-sms-validation.pipe';
export type { ThaiBulkSmsValidationPipeOptions } from './filters/thai-bulk-sms-validation.pipe';
export {
  THAI_BULK_SMS_FIELD_ERROR_NAMES,
  validationErrorName,
  validationMessage,
} from './filters/validation-error-name';

// Ground floor helpers
export * from './phone';
export { escapeLogText, logSafeText } from './thai-bulk-sms.logger';
export * from './message';

// Delivery reports and health
export * from './delivery';
export { DeliveryReportReceiver } from './delivery/delivery-report.receiver';

// Observers: told about every vendor exchange (the ledger and telemetry are observers)
export { ThaiBulkSmsObserver } from './observers/thai-bulk-sms.observer';
export type {
  ObservedSend,
  SmsRequestObserved,
  OtpRequestObserved,
  OtpVerifyObserved,
  DeliveryReportObserved,
} from './observers/thai-bulk-sms.observer';
// Compliance: message categories, the opt-out list, marketing hours, registered links
export { ThaiBulkSmsComplianceModule } from './compliance/thai-bulk-sms-compliance.module';
export type {
  ThaiBulkSmsComplianceModuleExtras,
  ThaiBulkSmsComplianceForRootOptions,
  ThaiBulkSmsComplianceForRootAsyncOptions,
} from './compliance/thai-bulk-sms-compliance.module-definition';
export {
  THAI_BULK_SMS_COMPLIANCE_OPTIONS,
  THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS,
} from './compliance/thai-bulk-sms-compliance.tokens';
export type {
  ComplianceMode,
  MarketingHoursOptions,
  ResolvedComplianceOptions,
  ThaiBulkSmsComplianceOptions,
} from './compliance/thai-bulk-sms-compliance.options';
export { COMPLIANCE_OPTION_DEFAULTS } from './compliance/thai-bulk-sms-compliance.options';
export {
  resolveComplianceOptions,
  ThaiBulkSmsComplianceOptionsError,
} from './compliance/thai-bulk-sms-compliance.options-validation';
export { ThaiBulkSmsCompliancePolicy } from './compliance/thai-bulk-sms-compliance.policy';
export type {
  ComplianceCheckContext,
  ComplianceCheckedFields,
  RecipientScreen,
  ScreenedRecipients,
} from './compliance/thai-bulk-sms-compliance.policy';
export { DefaultThaiBulkSmsCompliancePolicy } from './compliance/default-compliance.policy';
export type { ComplianceStats } from './compliance/default-compliance.policy';
export { MESSAGE_CATEGORIES, messageCategoryOf } from './compliance/message-category';
export type { MessageCategory } from './compliance/message-category';
export { SuppressionList, MAX_SUPPRESSION_REASON_LENGTH, suppresses } from './compliance/suppression-list';
export type { SuppressionEntry, SuppressionScope, AddSuppressionOptions } from './compliance/suppression-list';
export { InMemorySuppressionList } from './compliance/in-memory-suppression-list';
export { RedisSuppressionList, DEFAULT_SUPPRESSION_KEY } from './compliance/redis-suppression-list';
export type {
  RedisSuppressionListOptions,
  SuppressionRedis,
  SuppressionRedisPipeline,
} from './compliance/redis-suppression-list';
export { findLinkHosts } from './compliance/link-detector';
export { LinkRules, normaliseHostPattern } from './compliance/link-rules';
export type { LinkVerdict } from './compliance/link-rules';
export { KNOWN_SHORTENER_HOSTS } from './compliance/known-shorteners';
export { MarketingHours } from './compliance/marketing-hours';

// Instrumentation: metrics and traces hook in here (nestjs-thaibulksms/telemetry provides it)
export { ThaiBulkSmsInstrumentation } from './instrumentation/thai-bulk-sms.instrumentation';
export type {
  VendorOperation,
  VendorCall,
  VendorCallProbe,
  VendorCallProbes,
  BulkSendSummary,
  QueueJobRun,
  RefusalSource,
} from './instrumentation/thai-bulk-sms.instrumentation';
export { DEFAULT_HEALTH_CACHE_TTL_MS, ThaiBulkSmsHealthIndicator } from './health/thai-bulk-sms.health';
export type { ThaiBulkSmsHealthOptions, ThaiBulkSmsHealthResult } from './health/thai-bulk-sms.health';
