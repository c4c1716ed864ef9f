import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThaiBulkSmsClock, ThaiBulkSmsModule, ThaiBulkSmsModuleOptions } from '@app/thai-bulk-sms';
import { ThaiBulkSmsComplianceModule } from '@app/thai-bulk-sms/compliance';
import { MessageLedger } from '@app/thai-bulk-sms/ledger';
import { SystemClock } from '@app/thai-bulk-sms/helpers';
import { AlertsController } from './alerts/alerts.controller';
import { QueuedAlertsController } from './alerts/queued-alerts.controller';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeys } from './auth/api-keys';
import { ShutdownDeadline } from './common/shutdown-deadline';
import { ShutdownLog } from './common/shutdown-log';
import { appComplianceOptions, appSuppressionList } from './compliance/app-compliance';
import { OptOutErasure } from './compliance/opt-out-erasure';
import { SuppressionsController } from './compliance/suppressions.controller';
import type { AppConfigService } from './config/app-config';
import { ComplianceConfig, complianceConfig } from './config/namespaces/compliance.config';
import type { AppConfiguration } from './config/app-config.module';
import { OtpConfig, otpConfig } from './config/namespaces/otp.config';
import { RedisConfig, redisConfig } from './config/namespaces/redis.config';
import { ConsoleController } from './console/console.controller';
import { ConsoleSessions } from './console/console-sessions';
import { CreditController } from './credit/credit.controller';
import { DeliveryEventsListener } from './delivery/delivery-events.listener';
import { DeliveryUrlService } from './delivery/delivery-url.service';
import { DeliveryWebhookController } from './delivery/delivery-webhook.controller';
import { HealthController } from './health/health.controller';
import { LedgerHealthCheck } from './health/ledger-health';
import { ledgerImports } from './ledger/app-ledger';
import { MessagesController } from './ledger/messages.controller';
import { ReportsController } from './ledger/reports.controller';
import { ClockThrottlerStorage } from './otp/clock-throttler.storage';
import { OtpController } from './otp/otp.controller';
import { otpThrottlerOptions } from './otp/otp-throttling';
import { InMemoryOtpTokenRegistry, OtpTokenRegistry, RedisOtpTokenRegistry } from './otp/otp-token-registry';
import { RedisThrottlerStorage } from './otp/redis-throttler.storage';
import { queueImports } from './queue/app-queue';
import { APP_REDIS, AppRedis, AppRedisModule } from './redis/app-redis.module';
import { EmbeddedSandbox } from './sandbox/embedded-sandbox';
import { SmsController } from './sms/sms.controller';
import { SubjectErasureService } from './subjects/subject-erasure.service';
import { SubjectsController } from './subjects/subjects.controller';
import { AppTelemetryModule } from './telemetry/app-telemetry.module';
import type { RunningTelemetry } from './telemetry/otel-sdk';

export interface AppModuleOptions {
  /** From `loadConfiguration()`: ConfigModule, and the values that decide which modules are registered. */
  readonly configuration: AppConfiguration;
  /** Time source for throttling, OTP attempts, delivery events and the embedded sandbox. @default SystemClock */
  readonly clock?: ThaiBulkSmsClock;
  /** The OpenTelemetry SDK src/telemetry/instrument.ts started (OTEL_ENABLED=true); shut down with the app. */
  readonly telemetry?: RunningTelemetry;
}

/** The clock and the embedded sandbox, available everywhere. */
@Global()
@Module({})
class CoreModule {
  static forRoot(clock: ThaiBulkSmsClock | undefined): DynamicModule {
    const providers: Provider[] = [
      { provide: ThaiBulkSmsClock, useValue: clock ?? new SystemClock() },
      {
        provide: EmbeddedSandbox,
        inject: [ConfigService, ThaiBulkSmsClock],
        useFactory: (config: AppConfigService, time: ThaiBulkSmsClock) => EmbeddedSandbox.start(config, time),
      },
    ];
    return { module: CoreModule, providers, exports: providers };
  }
}

@Module({})
export class AppModule {
  static forRoot({ configuration, clock, telemetry }: AppModuleOptions): DynamicModule {
    const config = configuration.values;
    return {
      module: AppModule,
      imports: [
        configuration.module,
        CoreModule.forRoot(clock),
        AppRedisModule.forRoot(),
        EventEmitterModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        ThrottlerModule.forRootAsync({
          imports: [ConfigModule],
          inject: [otpConfig.KEY, redisConfig.KEY, ThaiBulkSmsClock, APP_REDIS],
          // With REDIS_URL the OTP limits live in Redis and hold across instances; else in memory.
          useFactory: (otp: OtpConfig, redisSettings: RedisConfig, time: ThaiBulkSmsClock, redis: AppRedis) =>
            otpThrottlerOptions(
              otp,
              redis ? new RedisThrottlerStorage(redis, time, redisSettings.prefix) : new ClockThrottlerStorage(time),
            ),
        }),
        ThaiBulkSmsModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService, EmbeddedSandbox],
          useFactory: thaiBulkSmsOptions,
        }),
        // The sending rules (src/compliance): the opt-out list in the ledger's database when the
        // ledger is on, else in Redis when the app has one, else in memory.
        ThaiBulkSmsComplianceModule.forRootAsync({
          imports: [ConfigModule],
          inject: [complianceConfig.KEY, redisConfig.KEY, APP_REDIS, { token: MessageLedger, optional: true }],
          useFactory: (
            compliance: ComplianceConfig,
            redisSettings: RedisConfig,
            redis: AppRedis,
            ledger?: MessageLedger,
          ) =>
            appComplianceOptions(
              compliance,
              appSuppressionList({
                erasureKey: compliance.erasureKey,
                redis,
                redisPrefix: redisSettings.prefix,
                ledgerList: ledger?.suppressionList({ erasureKey: compliance.erasureKey }),
              }),
            ),
        }),
        // QUEUE_ENABLED=true: the worker's registration and ThaiBulkSmsQueueModule (src/queue).
        ...queueImports(config.queue, thaiBulkSmsOptions),
        // OTEL_ENABLED=true: the library's metrics and spans (src/telemetry).
        AppTelemetryModule.forRoot(config.telemetry, telemetry),
        // LEDGER_ENABLED=true (default): every send, OTP and delivery report recorded (src/ledger).
        ...ledgerImports(config.ledger),
      ],
      controllers: [
        SmsController,
        config.queue.enabled ? QueuedAlertsController : AlertsController,
        OtpController,
        SuppressionsController,
        CreditController,
        HealthController,
        DeliveryWebhookController,
        SubjectsController,
        ...(config.ledger.enabled ? [MessagesController, ReportsController, ConsoleController] : []),
      ],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        {
          provide: OtpTokenRegistry,
          inject: [otpConfig.KEY, redisConfig.KEY, ThaiBulkSmsClock, APP_REDIS],
          useFactory: (otp: OtpConfig, redisSettings: RedisConfig, time: ThaiBulkSmsClock, redis: AppRedis) =>
            redis
              ? new RedisOtpTokenRegistry(otp, time, redis, redisSettings.prefix)
              : new InMemoryOtpTokenRegistry(otp, time),
        },
        DeliveryUrlService,
        DeliveryEventsListener,
        SubjectErasureService,
        LedgerHealthCheck,
        ApiKeys,
        ...(config.ledger.enabled ? [ConsoleSessions] : []),
        OptOutErasure,
        ShutdownLog,
        ShutdownDeadline,
      ],
    };
  }
}

/** The library's options from the configuration, against the embedded sandbox in sandbox mode. */
function thaiBulkSmsOptions(config: AppConfigService, embedded: EmbeddedSandbox): ThaiBulkSmsModuleOptions {
  const t = config.get('thaibulksms', { infer: true });
  const sandbox = embedded.sandbox;
  return withoutUndefined({
    apiKey: sandbox ? (t.apiKey ?? sandbox.credentials.apiKey) : t.apiKey,
    apiSecret: sandbox ? (t.apiSecret ?? sandbox.credentials.apiSecret) : t.apiSecret,
    otpKey: sandbox ? (t.otpKey ?? sandbox.credentials.otpKey) : t.otpKey,
    otpSecret: sandbox ? (t.otpSecret ?? sandbox.credentials.otpSecret) : t.otpSecret,
    // One sandbox serves both APIs.
    baseUrl: sandbox ? sandbox.url : t.baseUrl,
    otpBaseUrl: sandbox ? sandbox.url : t.otpBaseUrl,
    defaultSender: t.sender,
    defaultCreditType: t.force,
    timeoutMs: t.timeoutMs,
    maxTps: t.maxTps,
  });
}

/** Leaves library defaults in place for options the environment does not set. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
