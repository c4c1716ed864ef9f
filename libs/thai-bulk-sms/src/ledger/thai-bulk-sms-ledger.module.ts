import { Module } from '@nestjs/common';
import { ThaiBulkSmsLedgerConfigurableModule } from './thai-bulk-sms-ledger.module-definition';

/**
 * `ThaiBulkSmsLedgerModule.forRoot({ connection, messageText, retentionDays, ... })` or
 * `forRootAsync({ imports, inject, useFactory | useClass | useExisting, isGlobal })`. Records every
 * send, OTP and delivery report of the app's ThaiBulkSmsModule registrations, with no change at
 * any call site. Providers are built in thai-bulk-sms-ledger.providers.ts.
 */
@Module({})
export class ThaiBulkSmsLedgerModule extends ThaiBulkSmsLedgerConfigurableModule {}
