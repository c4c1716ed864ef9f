import { ConfigurableModuleBuilder, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ThaiBulkSmsTransport } from './transport/thai-bulk-sms.transport';
import { ThaiBulkSmsModuleOptions } from './thai-bulk-sms.options';
import { createThaiBulkSmsProviders } from './thai-bulk-sms.providers';
import { THAI_BULK_SMS_MODULE_OPTIONS } from './thai-bulk-sms.tokens';

/**
 * Read from the top level of `forRoot`/`forRootAsync`, never from what `useFactory` returns:
 * they shape the module graph, which Nest builds before any factory runs.
 */
export interface ThaiBulkSmsModuleExtras {
  /** Make this registration's services injectable everywhere. @default false */
  readonly isGlobal?: boolean;
  /**
   * Name of this registration, for several in one app (two accounts, or SMS and OTP apart).
   * Inject its services with `@InjectSmsService(name)` etc. @default 'default' (inject by class)
   */
  readonly name?: string;
  /**
   * The HTTP transport: `UndiciThaiBulkSmsTransport` from `nestjs-thaibulksms/undici` (less CPU
   * per request, lower latency; needs the optional peer undici), or your own (a proxy, a recorder).
   * @default AxiosThaiBulkSmsTransport
   */
  readonly transport?: Type<ThaiBulkSmsTransport>;
}

export const {
  ConfigurableModuleClass: ThaiBulkSmsConfigurableModule,
  OPTIONS_TYPE: THAI_BULK_SMS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: THAI_BULK_SMS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ThaiBulkSmsModuleOptions>({
  moduleName: 'ThaiBulkSms',
  optionsInjectionToken: THAI_BULK_SMS_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createThaiBulkSmsOptions')
  .setExtras<ThaiBulkSmsModuleExtras>(
    { isGlobal: false, name: undefined, transport: undefined },
    (definition, extras) => {
      const { providers, exports } = createThaiBulkSmsProviders(extras.name, extras.transport);
      return {
        ...definition,
        global: extras.isGlobal === true,
        // Observers (`@ThaiBulkSmsObserver()`) are found among the app's providers.
        imports: [...(definition.imports ?? []), DiscoveryModule],
        providers: [...(definition.providers ?? []), ...providers],
        exports,
      };
    },
  )
  .build();

export type ThaiBulkSmsForRootOptions = typeof THAI_BULK_SMS_OPTIONS_TYPE;
export type ThaiBulkSmsForRootAsyncOptions = typeof THAI_BULK_SMS_ASYNC_OPTIONS_TYPE;
