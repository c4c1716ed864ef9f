// nestjs-thaibulksms/compliance: the sending rules checked before every request (message
// categories, registered links, the opt-out line, marketing hours, the opt-out list), their
// options, stores and errors. Rules and boundaries: docs/compliance.md.
export { ThaiBulkSmsComplianceModule } from './thai-bulk-sms-compliance.module';
export type {
  ThaiBulkSmsComplianceOptions,
  ComplianceMode,
  MarketingHoursOptions,
  ResolvedComplianceOptions,
} from './thai-bulk-sms-compliance.options';
export { THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS } from './thai-bulk-sms-compliance.tokens';
export { ThaiBulkSmsComplianceOptionsError } from '../errors/options.errors';

// The policy: replace it with the module's `policy` extra
export { ThaiBulkSmsCompliancePolicy } from './thai-bulk-sms-compliance.policy';
export type {
  ComplianceCheckContext,
  ComplianceCheckedFields,
  RecipientScreen,
  ScreenedRecipients,
} from './thai-bulk-sms-compliance.policy';
export { DefaultThaiBulkSmsCompliancePolicy } from './default-compliance.policy';
export type { ComplianceStats } from './default-compliance.policy';
export type { MessageCategory } from './message-category';
export { KNOWN_SHORTENER_HOSTS } from './known-shorteners';

// The opt-out list and its stores
export { SuppressionList } from './suppression-list';
export type {
  SuppressionEntry,
  SuppressionScope,
  AddSuppressionOptions,
  SuppressionListOptions,
  SuppressionErasureOutcome,
} from './suppression-list';
export { InMemorySuppressionList } from './in-memory-suppression-list';
export { RedisSuppressionList } from './redis-suppression-list';
export type { RedisSuppressionListOptions } from './redis-suppression-list';

// Refusals (strict mode), and the store failing
export {
  ThaiBulkSmsComplianceError,
  RecipientOptedOutError,
  OptOutTextMissingError,
  OutsideSendingHoursError,
  ScheduledOutsideSendingHoursError,
  LinkNotRegisteredError,
  LinkShortenerNotAllowedError,
  ShortenUrlNotAllowedError,
  SuppressionListUnavailableError,
} from '../errors/compliance.errors';
export type { ComplianceErrorName } from '../errors/compliance.errors';
