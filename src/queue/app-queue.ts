import { DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { getSmsServiceToken, ThaiBulkSmsModule, ThaiBulkSmsModuleOptions } from '@app/thai-bulk-sms';
import { ThaiBulkSmsQueueModule } from '@app/thai-bulk-sms/queue';
import type { AppConfigService } from '../config/app-config';
import type { QueueConfig } from '../config/namespaces/queue.config';
import { APP_REDIS } from '../redis/app-redis.module';
import { EmbeddedSandbox } from '../sandbox/embedded-sandbox';

/**
 * The ThaiBulkSmsModule registration the queue's worker sends with. Its own limiter is off
 * (maxTps 0): the queue holds the account rate in Redis for every worker of every instance
 * (BullMQ's global rate limit plus the send-time gate), and a second, per-process limit would
 * only slow this worker down (library README, "Scaling out"). The default registration keeps
 * THAIBULKSMS_MAX_TPS for the direct routes (/sms, /otp).
 */
export const QUEUE_WORKER_REGISTRATION = 'queue-worker';

/**
 * What QUEUE_ENABLED=true adds to the app: the worker's registration (only when this instance runs
 * a worker) and ThaiBulkSmsQueueModule on REDIS_URL, its BullMQ prefix REDIS_PREFIX, its
 * account-wide rate THAIBULKSMS_MAX_TPS — stored in Redis by the first worker instance; one
 * started with another value refuses to start (SmsQueueRateLimitMismatchError).
 */
export function queueImports(
  queue: QueueConfig,
  clientOptions: (config: AppConfigService, embedded: EmbeddedSandbox) => ThaiBulkSmsModuleOptions,
): DynamicModule[] {
  if (!queue.enabled) return [];
  const worker = queue.worker;
  return [
    ...(worker
      ? [
          ThaiBulkSmsModule.forRootAsync({
            name: QUEUE_WORKER_REGISTRATION,
            // Global: the queue's options wait for its SmsService (below).
            isGlobal: true,
            imports: [ConfigModule],
            inject: [ConfigService, EmbeddedSandbox],
            useFactory: (config: AppConfigService, embedded: EmbeddedSandbox) => ({
              ...clientOptions(config, embedded),
              maxTps: 0,
            }),
          }),
        ]
      : []),
    ThaiBulkSmsQueueModule.forRootAsync({
      imports: [ConfigModule],
      // APP_REDIS: built after the app's own connection succeeded, so an unreachable REDIS_URL
      // stops the start with that clear message before BullMQ starts reconnecting in a loop.
      // The worker's SmsService: the queue looks it up when its options are built, and it waits on
      // the compliance policy (its opt-out list may wait on Redis), so it must exist first.
      inject: [ConfigService, APP_REDIS, ...(worker ? [getSmsServiceToken(QUEUE_WORKER_REGISTRATION)] : [])],
      useFactory: (config: AppConfigService) => {
        const redis = config.get('redis', { infer: true });
        if (redis.url === undefined) throw new Error('QUEUE_ENABLED=true needs REDIS_URL (its namespace defaults it).');
        return {
          connection: redis.url,
          prefix: redis.prefix,
          maxTps: config.get('thaibulksms.maxTps', { infer: true }),
          worker,
          registration: QUEUE_WORKER_REGISTRATION,
        };
      },
    }),
  ];
}
