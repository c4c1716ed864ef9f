import { Module } from '@nestjs/common';
import { ThaiBulkSmsQueueConfigurableModule } from './thai-bulk-sms-queue.module-definition';

/**
 * `ThaiBulkSmsQueueModule.forRoot({ connection, maxTps, ... })` or `forRootAsync({ imports,
 * inject, useFactory | useClass | useExisting, isGlobal, queueName })`. Needs bullmq and
 * @nestjs/bullmq; a worker (the default) also needs a ThaiBulkSmsModule registration to send
 * with. Providers are built in thai-bulk-sms-queue.providers.ts.
 */
@Module({})
export class ThaiBulkSmsQueueModule extends ThaiBulkSmsQueueConfigurableModule {}
