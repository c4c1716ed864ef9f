// nestjs-thaibulksms/ledger: every SMS recipient, OTP request and delivery report in PostgreSQL
// (a server through the optional peer pg, or embedded PGlite through @electric-sql/pglite), with
// the typed SQL layer kysely (an optional peer too). Guarantees and schema: docs/ledger.md.
export { ThaiBulkSmsLedgerModule } from './thai-bulk-sms-ledger.module';
export type { ThaiBulkSmsLedgerModuleOptions, LedgerConnection, LedgerMessageText } from './ledger.options';
export { ThaiBulkSmsLedgerOptionsError } from '../errors/options.errors';
export { LedgerQueryError, LedgerUnavailableError } from '../errors/ledger.errors';
export { ledgerMigrationSql } from './ledger.migrations';

// Reading the ledger
export { MessageLedger } from './message-ledger.service';
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
} from './ledger.types';

// The opt-out list in the ledger's database (MessageLedger.suppressionList())
export { LedgerSuppressionList } from './ledger-suppression-list';

// Health (for @nestjs/terminus)
export { LedgerHealthIndicator } from './ledger.health';
export type { LedgerHealthOptions } from './ledger.health';
