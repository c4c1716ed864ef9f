import { DynamicModule, Module } from '@nestjs/common';
import {
  ThaiBulkSmsTelemetryConfigurableModule,
  ThaiBulkSmsTelemetryForRootOptions,
} from './thai-bulk-sms-telemetry.module-definition';

/**
 * `ThaiBulkSmsTelemetryModule.forRoot()` (or `forRootAsync({ inject, useFactory })`): metrics and
 * traces of every ThaiBulkSmsModule and ThaiBulkSmsQueueModule registration of the app, on the
 * OpenTelemetry API. Global. It starts no SDK: register one in the app (see the README), or
 * everything it records goes to the API's no-op. Providers are built in
 * thai-bulk-sms-telemetry.providers.ts.
 */
@Module({})
export class ThaiBulkSmsTelemetryModule extends ThaiBulkSmsTelemetryConfigurableModule {
  /** Every option has a default, so the options may be left out. */
  static override forRoot(options: ThaiBulkSmsTelemetryForRootOptions = {}): DynamicModule {
    return super.forRoot(options);
  }
}
