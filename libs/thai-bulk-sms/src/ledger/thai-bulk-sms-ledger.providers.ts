import { DynamicModule, Logger, Provider } from '@nestjs/common';
import { SystemClock, ThaiBulkSmsClock } from '../client/clock';
import { openLedgerDatabase } from './ledger.connection';
import { LedgerHealthIndicator } from './ledger.health';
import { LedgerLifecycle } from './ledger.lifecycle';
import { LedgerObserver } from './ledger.observer';
import { ResolvedLedgerOptions, ThaiBulkSmsLedgerModuleOptions } from './ledger.options';
import { resolveLedgerOptions } from './ledger.options-validation';
import { LedgerStore } from './ledger.store';
import { LedgerWriter } from './ledger.writer';
import { MessageLedger } from './message-ledger.service';
import { PostgresLedgerStore } from './postgres-ledger.store';
import {
  THAI_BULK_SMS_LEDGER_CLOCK,
  THAI_BULK_SMS_LEDGER_MODULE_OPTIONS,
  THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS,
} from './thai-bulk-sms-ledger.tokens';

const LOGGER_CONTEXT = 'ThaiBulkSmsLedger';

/** The store the options name: PostgreSQL through `pg`, or PGlite; started by LedgerLifecycle. */
export async function createLedgerStore(options: ResolvedLedgerOptions): Promise<LedgerStore> {
  const logger = new Logger(LOGGER_CONTEXT);
  const database = await openLedgerDatabase(options.connection, {
    connectTimeoutMs: options.writeTimeoutMs,
    // Only the error's code: a connection error may quote the server's address.
    onPoolError: (error) =>
      logger.warn(`idle database connection lost (${(error as { code?: string }).code ?? error.name})`),
  });
  return new PostgresLedgerStore(database, {
    schema: options.schema,
    migrations: options.migrations,
    partitionDaysAhead: options.partitionDaysAhead,
  });
}

/**
 * Options (checked at once: a bad option fails the module before any connection opens), the
 * store (the LedgerStore token: provide your own to swap it), the writer and its buffer, the
 * observer the ThaiBulkSms services find, the MessageLedger service, its health indicator and its
 * lifecycle (migrations, purge timer, shutdown).
 */
export function createThaiBulkSmsLedgerModule(definition: DynamicModule, isGlobal: boolean): DynamicModule {
  const providers: Provider[] = [
    {
      provide: THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS,
      useFactory: (raw: ThaiBulkSmsLedgerModuleOptions) => resolveLedgerOptions(raw),
      inject: [THAI_BULK_SMS_LEDGER_MODULE_OPTIONS],
    },
    {
      provide: THAI_BULK_SMS_LEDGER_CLOCK,
      useFactory: (options: ResolvedLedgerOptions): ThaiBulkSmsClock => options.clock ?? new SystemClock(),
      inject: [THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS],
    },
    { provide: LedgerStore, useFactory: createLedgerStore, inject: [THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS] },
    {
      provide: LedgerWriter,
      useFactory: (store: LedgerStore, options: ResolvedLedgerOptions) =>
        new LedgerWriter(store, options, new Logger(LOGGER_CONTEXT)),
      inject: [LedgerStore, THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS],
    },
    LedgerObserver,
    MessageLedger,
    LedgerHealthIndicator,
    LedgerLifecycle,
  ];
  return {
    ...definition,
    global: isGlobal,
    providers: [...(definition.providers ?? []), ...providers],
    exports: [MessageLedger, LedgerHealthIndicator, LedgerStore, THAI_BULK_SMS_LEDGER_RESOLVED_OPTIONS],
  };
}
