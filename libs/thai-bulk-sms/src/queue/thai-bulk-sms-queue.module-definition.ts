import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ThaiBulkSmsQueueModuleOptions } from './queue.types';
import { createThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.providers';
import { THAI_BULK_SMS_QUEUE_MODULE_OPTIONS } from './thai-bulk-sms-queue.tokens';

/**
 * Read from the top level of `forRoot`/`forRootAsync`, never from what `useFactory` returns:
 * they shape the module graph, which Nest builds before any factory runs.
 */
export interface ThaiBulkSmsQueueModuleExtras {
  /** Make SmsQueue injectable everywhere. @default false */
  readonly isGlobal?: boolean;
  /**
   * The BullMQ queue (one per account): every instance that shares the account's limit must use
   * the same name, prefix and Redis. A queue other than the default is injected with
   * `@InjectSmsQueue(queueName)`. @default 'thaibulksms'
   */
  readonly queueName?: string;
}

export const {
  ConfigurableModuleClass: ThaiBulkSmsQueueConfigurableModule,
  OPTIONS_TYPE: THAI_BULK_SMS_QUEUE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: THAI_BULK_SMS_QUEUE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ThaiBulkSmsQueueModuleOptions>({
  moduleName: 'ThaiBulkSmsQueue',
  optionsInjectionToken: THAI_BULK_SMS_QUEUE_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createThaiBulkSmsQueueOptions')
  .setExtras<ThaiBulkSmsQueueModuleExtras>({ isGlobal: false, queueName: undefined }, (definition, extras) =>
    createThaiBulkSmsQueueModule(definition, extras.queueName, extras.isGlobal === true),
  )
  .build();

export type ThaiBulkSmsQueueForRootOptions = typeof THAI_BULK_SMS_QUEUE_OPTIONS_TYPE;
export type ThaiBulkSmsQueueForRootAsyncOptions = typeof THAI_BULK_SMS_QUEUE_ASYNC_OPTIONS_TYPE;
