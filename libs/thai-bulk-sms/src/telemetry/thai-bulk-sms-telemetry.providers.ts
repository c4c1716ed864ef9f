import { Provider } from '@nestjs/common';
import { createNoopMeter, metrics, trace } from '@opentelemetry/api';
import { ThaiBulkSmsInstrumentation } from '../instrumentation/thai-bulk-sms.instrumentation';
import { OpenTelemetryInstrumentation } from './opentelemetry.instrumentation';
import { ThaiBulkSmsTelemetryModuleOptions } from './thai-bulk-sms-telemetry.options';
import { THAI_BULK_SMS_TELEMETRY_MODULE_OPTIONS } from './thai-bulk-sms-telemetry.tokens';
import { TELEMETRY_SCOPE } from './telemetry.attributes';
import { ThaiBulkSmsMetrics } from './telemetry.metrics';
import { ThaiBulkSmsTelemetryObserver } from './telemetry.observer';

/** Options given as something other than an object, or with a flag that is not a boolean. */
export class ThaiBulkSmsTelemetryOptionsError extends Error {
  constructor(field: string, reason: string) {
    super(`ThaiBulkSmsTelemetryModule: invalid option "${field}": ${reason}`);
    this.name = 'ThaiBulkSmsTelemetryOptionsError';
  }
}

function flag(options: ThaiBulkSmsTelemetryModuleOptions, field: 'metrics' | 'traces'): boolean {
  const value = options[field] ?? true;
  if (typeof value !== 'boolean') throw new ThaiBulkSmsTelemetryOptionsError(field, 'must be a boolean');
  return value;
}

function createMetrics(options: ThaiBulkSmsTelemetryModuleOptions | undefined): ThaiBulkSmsMetrics {
  const given = options ?? {};
  if (typeof given !== 'object') throw new ThaiBulkSmsTelemetryOptionsError('options', 'must be an object');
  if (!flag(given, 'metrics')) return new ThaiBulkSmsMetrics(createNoopMeter());
  return new ThaiBulkSmsMetrics((given.meterProvider ?? metrics.getMeterProvider()).getMeter(TELEMETRY_SCOPE));
}

function createInstrumentation(
  options: ThaiBulkSmsTelemetryModuleOptions | undefined,
  instruments: ThaiBulkSmsMetrics,
): ThaiBulkSmsInstrumentation {
  const given = options ?? {};
  const tracer = flag(given, 'traces')
    ? (given.tracerProvider ?? trace.getTracerProvider()).getTracer(TELEMETRY_SCOPE)
    : undefined;
  return new OpenTelemetryInstrumentation(instruments, tracer);
}

/** The instruments, the instrumentation the library's services call, and the observer. */
export function createTelemetryProviders(): Provider[] {
  return [
    { provide: ThaiBulkSmsMetrics, useFactory: createMetrics, inject: [THAI_BULK_SMS_TELEMETRY_MODULE_OPTIONS] },
    {
      provide: ThaiBulkSmsInstrumentation,
      useFactory: createInstrumentation,
      inject: [THAI_BULK_SMS_TELEMETRY_MODULE_OPTIONS, ThaiBulkSmsMetrics],
    },
    ThaiBulkSmsTelemetryObserver,
  ];
}
