import type { DynamicModule } from '@nestjs/common';
import { ThaiBulkSmsClock } from '@app/thai-bulk-sms';
import { ThaiBulkSmsLedgerModule } from '@app/thai-bulk-sms/ledger';
import type { LedgerConfig } from '../config/namespaces/ledger.config';

/**
 * LEDGER_ENABLED=true (the default): the library's ledger, global so the routes, the console and
 * /health can inject MessageLedger and its health indicator. On the app's clock, so retention and
 * report times follow the clock tests move.
 */
export function ledgerImports(config: LedgerConfig): DynamicModule[] {
  if (!config.enabled) return [];
  return [
    ThaiBulkSmsLedgerModule.forRootAsync({
      isGlobal: true,
      inject: [ThaiBulkSmsClock],
      useFactory: (clock: ThaiBulkSmsClock) => ({
        connection: config.connection,
        schema: config.schema,
        messageText: config.messageText,
        retentionDays: config.retentionDays,
        purgeIntervalMs: config.purgeIntervalMs,
        migrations: config.migrations,
        clock,
      }),
    }),
  ];
}
