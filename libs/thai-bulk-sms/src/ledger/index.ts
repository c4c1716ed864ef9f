// nestjs-thaibulksms/ledger: every SMS recipient, OTP request and delivery report in PostgreSQL
// (a server through the optional peer pg, or embedded PGlite through @electric-sql/pglite), with
// the typed SQL layer kysely (an optional peer too).
export { ThaiBulkSmsLedgerModule } from './thai-bulk-sms-ledger.module';
export type {
  ThaiBulkSmsLedgerModuleExtras,
  ThaiBulkSmsLedgerForRootOptions,
  ThaiBulkSmsLedgerForRootAsyncOptions,
} from './thai-bulk-sms-ledger.module-definition';
export {
  THAI_BULK_SMS_LEDGER_MODULE_OPTIONS,
  THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS,
} from './thai-bulk-sms-ledger.tokens';
export { MessageLedger } from './message-ledger.service';
export { LedgerHealthIndicator } from './ledger.health';
export type { LedgerHealthOptions, LedgerHealthResult } from './ledger.health';
export { LedgerStore } from './ledger.store';
export type { LedgerStoreSearch, LedgerRowKey } from './ledger.store';
export { PostgresLedgerStore } from './postgres-ledger.store';
export { LEDGER_OPTION_DEFAULTS } from './ledger.options';
export type {
  ThaiBulkSmsLedgerModuleOptions,
  ResolvedLedgerOptions,
  LedgerConnection,
  LedgerUrlConnection,
  LedgerPoolConnection,
  LedgerEmbeddedConnection,
  LedgerPgliteConnection,
  LedgerMessageText,
  LedgerPgPool,
  LedgerPglite,
} from './ledger.options';
export { resolveLedgerOptions } from './ledger.options-validation';
export { ThaiBulkSmsLedgerOptionsError, LedgerQueryError, LedgerUnavailableError } from './ledger.errors';
export { LEDGER_MIGRATIONS, ledgerMigrationSql, applyLedgerMigrations } from './ledger.migrations';
export type { LedgerMigration } from './ledger.migrations';
export { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, MAX_REPORT_DAYS } from './ledger.query';
export { MAX_SERIES_DAYS } from './message-ledger.service';
export { LEDGER_MESSAGE_STATUSES, FINAL_MESSAGE_STATUSES } from './ledger.types';
export type {
  LedgerMessageStatus,
  LedgerReportStatus,
  LedgerOtpStatus,
  LedgerText,
  LedgerEvent,
  LedgerMessage,
  LedgerMessageSummary,
  LedgerOtp,
  LedgerSearchQuery,
  LedgerPage,
  LedgerReportGrouping,
  LedgerDeliveryReportQuery,
  LedgerDeliveryGroup,
  LedgerDeliveryReport,
  LedgerDailyPoint,
  LedgerErasure,
  LedgerPurgeResult,
  LedgerStats,
  LedgerWrite,
  LedgerMessageBatch,
  LedgerRecipientWrite,
  LedgerReportWrite,
  LedgerOtpRequestWrite,
  LedgerOtpVerifyWrite,
} from './ledger.types';
