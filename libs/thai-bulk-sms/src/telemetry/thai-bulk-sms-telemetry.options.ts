import type { MeterProvider, TracerProvider } from '@opentelemetry/api';

/** Options of `ThaiBulkSmsTelemetryModule.forRoot` / what `forRootAsync`'s factory returns. */
export interface ThaiBulkSmsTelemetryModuleOptions {
  /** Record metrics. @default true */
  readonly metrics?: boolean;
  /** Record spans. @default true */
  readonly traces?: boolean;
  /**
   * Where metrics go. @default the global MeterProvider: the registered SDK's, a no-op without one
   */
  readonly meterProvider?: MeterProvider;
  /** Where spans go. @default the global TracerProvider: the registered SDK's, a no-op without one */
  readonly tracerProvider?: TracerProvider;
}
