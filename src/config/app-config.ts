import type { ConfigService, ConfigType } from '@nestjs/config';
import { AppVariables, appConfig } from './namespaces/app.config';
import { ComplianceVariables, complianceConfig } from './namespaces/compliance.config';
import { DeliveryVariables, deliveryConfig } from './namespaces/delivery.config';
import { HealthVariables, healthConfig } from './namespaces/health.config';
import { HttpVariables, httpConfig } from './namespaces/http.config';
import { LedgerVariables, ledgerConfig } from './namespaces/ledger.config';
import { OtpVariables, otpConfig } from './namespaces/otp.config';
import { QueueVariables, queueConfig } from './namespaces/queue.config';
import { RedisVariables, redisConfig } from './namespaces/redis.config';
import { SandboxVariables, sandboxConfig } from './namespaces/sandbox.config';
import { TelemetryVariables, telemetryConfig } from './namespaces/telemetry.config';
import { ThaiBulkSmsVariables, thaibulksmsConfig } from './namespaces/thaibulksms.config';

/**
 * Every namespace of the sample app's configuration, in the order their problems are listed.
 * Adding one (docs/architecture.md, "Sample app configuration"): write `namespaces/<name>.config.ts` after
 * namespaces/otp.config.ts, then add it here and its variables class to `Environment`.
 */
export const APP_CONFIG_NAMESPACES = [
  sandboxConfig,
  thaibulksmsConfig,
  appConfig,
  httpConfig,
  healthConfig,
  otpConfig,
  deliveryConfig,
  redisConfig,
  queueConfig,
  telemetryConfig,
  ledgerConfig,
  complianceConfig,
] as const;

/** Every variable the app reads, validated and typed: what a namespace's `check` and `read` see. */
export type Environment = SandboxVariables &
  ThaiBulkSmsVariables &
  AppVariables &
  HttpVariables &
  HealthVariables &
  OtpVariables &
  DeliveryVariables &
  RedisVariables &
  QueueVariables &
  TelemetryVariables &
  LedgerVariables &
  ComplianceVariables;

type AppConfigNamespace = (typeof APP_CONFIG_NAMESPACES)[number];

/** The whole configuration, by namespace: `ConfigService<AppConfig, true>` reads it (`get('otp', { infer: true })`). */
export type AppConfig = { readonly [N in AppConfigNamespace as N['NAMESPACE']]: ConfigType<N> };

/** ConfigService over the app's namespaces, validated at start: `config.get('otp', { infer: true })` is an OtpConfig. */
export type AppConfigService = ConfigService<AppConfig, true>;
