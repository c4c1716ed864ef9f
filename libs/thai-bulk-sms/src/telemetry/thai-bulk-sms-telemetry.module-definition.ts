import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ThaiBulkSmsInstrumentation } from '../instrumentation/thai-bulk-sms.instrumentation';
import { ThaiBulkSmsTelemetryModuleOptions } from './thai-bulk-sms-telemetry.options';
import { createTelemetryProviders } from './thai-bulk-sms-telemetry.providers';
import { THAI_BULK_SMS_TELEMETRY_MODULE_OPTIONS } from './thai-bulk-sms-telemetry.tokens';

export const {
  ConfigurableModuleClass: ThaiBulkSmsTelemetryConfigurableModule,
  OPTIONS_TYPE: THAI_BULK_SMS_TELEMETRY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: THAI_BULK_SMS_TELEMETRY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ThaiBulkSmsTelemetryModuleOptions>({
  moduleName: 'ThaiBulkSmsTelemetry',
  optionsInjectionToken: THAI_BULK_SMS_TELEMETRY_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createThaiBulkSmsTelemetryOptions')
  // Always global: every ThaiBulkSmsModule and ThaiBulkSmsQueueModule registration of the app
  // looks for ThaiBulkSmsInstrumentation, wherever this module is imported.
  .setExtras({}, (definition) => ({
    ...definition,
    global: true,
    providers: [...(definition.providers ?? []), ...createTelemetryProviders()],
    exports: [ThaiBulkSmsInstrumentation],
  }))
  .build();

export type ThaiBulkSmsTelemetryForRootOptions = typeof THAI_BULK_SMS_TELEMETRY_OPTIONS_TYPE;
export type ThaiBulkSmsTelemetryForRootAsyncOptions = typeof THAI_BULK_SMS_TELEMETRY_ASYNC_OPTIONS_TYPE;
