// nestjs-thaibulksms/telemetry: OpenTelemetry metrics and traces. Needs the optional peer
// @opentelemetry/api; the app registers the SDK (the library never starts one).
export { ThaiBulkSmsTelemetryModule } from './thai-bulk-sms-telemetry.module';
export type { ThaiBulkSmsTelemetryModuleOptions } from './thai-bulk-sms-telemetry.options';
export { ThaiBulkSmsTelemetryOptionsError } from '../errors/options.errors';
export { TELEMETRY_SCOPE } from './telemetry.attributes';
