import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ThaiBulkSmsLedgerModuleOptions } from './ledger.options';
import { createThaiBulkSmsLedgerModule } from './thai-bulk-sms-ledger.providers';
import { THAI_BULK_SMS_LEDGER_MODULE_OPTIONS } from './thai-bulk-sms-ledger.tokens';

/** Read from the top level of `forRoot`/`forRootAsync`, never from what `useFactory` returns. */
export interface ThaiBulkSmsLedgerModuleExtras {
  /** Make MessageLedger and the health indicator injectable everywhere. @default false */
  readonly isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: ThaiBulkSmsLedgerConfigurableModule,
  OPTIONS_TYPE: THAI_BULK_SMS_LEDGER_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: THAI_BULK_SMS_LEDGER_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ThaiBulkSmsLedgerModuleOptions>({
  moduleName: 'ThaiBulkSmsLedger',
  optionsInjectionToken: THAI_BULK_SMS_LEDGER_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createThaiBulkSmsLedgerOptions')
  .setExtras<ThaiBulkSmsLedgerModuleExtras>({ isGlobal: false }, (definition, extras) =>
    createThaiBulkSmsLedgerModule(definition, extras.isGlobal === true),
  )
  .build();

export type ThaiBulkSmsLedgerForRootOptions = typeof THAI_BULK_SMS_LEDGER_OPTIONS_TYPE;
export type ThaiBulkSmsLedgerForRootAsyncOptions = typeof THAI_BULK_SMS_LEDGER_ASYNC_OPTIONS_TYPE;
