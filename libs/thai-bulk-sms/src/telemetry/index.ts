// nestjs-thaibulksms/telemetry: OpenTelemetry metrics and traces. Needs the optional peer
// @opentelemetry/api; the app registers the SDK (the library never starts one).
export { ThaiBulkSmsTelemetryModule } from './thai-bulk-sms-telemetry.module';
export type {
  ThaiBulkSmsTelemetryForRootOptions,
  ThaiBulkSmsTelemetryForRootAsyncOptions,
} from './thai-bulk-sms-telemetry.module-definition';
export type { ThaiBulkSmsTelemetryModuleOptions } from './thai-bulk-sms-telemetry.options';
export { THAI_BULK_SMS_TELEMETRY_MODULE_OPTIONS } from './thai-bulk-sms-telemetry.tokens';
export { ThaiBulkSmsTelemetryOptionsError } from './thai-bulk-sms-telemetry.providers';
export { OpenTelemetryInstrumentation } from './opentelemetry.instrumentation';
export { ThaiBulkSmsMetrics, DURATION_BUCKETS, LIMITER_WAIT_BUCKETS } from './telemetry.metrics';
export { ThaiBulkSmsTelemetryObserver } from './telemetry.observer';
export { ATTR as TELEMETRY_ATTRIBUTES, TELEMETRY_SCOPE } from './telemetry.attributes';
export type { CallOutcome } from './telemetry.attributes';
