import { Module } from '@nestjs/common';
import { ThaiBulkSmsConfigurableModule } from './thai-bulk-sms.module-definition';

/**
 * `ThaiBulkSmsModule.forRoot({ apiKey, apiSecret, ... })` or `forRootAsync({ imports, inject,
 * useFactory | useClass | useExisting, isGlobal, name })`. Providers are built in
 * thai-bulk-sms.providers.ts.
 */
@Module({})
export class ThaiBulkSmsModule extends ThaiBulkSmsConfigurableModule {}
