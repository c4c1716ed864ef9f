import { Provider } from '@nestjs/common';
import { createNoopMeter, metrics, trace } from '@opentelemetry/api';
import { OptionsReader, OptionsReaderSettings } from '../errors/options-reader';
import { ThaiBulkSmsTelemetryOptionsError } from '../errors/options.errors';
import { ThaiBulkSmsInstrumentation } from '../instrumentation/thai-bulk-sms.instrumentation';
import { OpenTelemetryInstrumentation } from './opentelemetry.instrumentation';
import { ThaiBulkSmsTelemetryModuleOptions } from './thai-bulk-sms-telemetry.options';
import { THAI_BULK_SMS_TELEMETRY_MODULE_OPTIONS } from './thai-bulk-sms-telemetry.tokens';
import { TELEMETRY_SCOPE } from './telemetry.attributes';
import { ThaiBulkSmsMetrics } from './telemetry.metrics';
import { ThaiBulkSmsTelemetryObserver } from './telemetry.observer';

const SETTINGS: OptionsReaderSettings = {
  error: ThaiBulkSmsTelemetryOptionsError,
  factoryMethod: 'createThaiBulkSmsTelemetryOptions',
};

// A Record over the interface's keys: adding an option without listing it here does not compile.
const KNOWN_OPTIONS = Object.keys({
  metrics: true,
  traces: true,
  meterProvider: true,
  tracerProvider: true,
} satisfies Record<keyof ThaiBulkSmsTelemetryModuleOptions, true>);

function read(options: ThaiBulkSmsTelemetryModuleOptions | undefined): OptionsReader {
  return OptionsReader.of(options, SETTINGS).known(KNOWN_OPTIONS);
}

function createMetrics(options: ThaiBulkSmsTelemetryModuleOptions | undefined): ThaiBulkSmsMetrics {
  if (!read(options).bool('metrics', true)) return new ThaiBulkSmsMetrics(createNoopMeter());
  return new ThaiBulkSmsMetrics((options?.meterProvider ?? metrics.getMeterProvider()).getMeter(TELEMETRY_SCOPE));
}

function createInstrumentation(
  options: ThaiBulkSmsTelemetryModuleOptions | undefined,
  instruments: ThaiBulkSmsMetrics,
): ThaiBulkSmsInstrumentation {
  const tracer = read(options).bool('traces', true)
    ? (options?.tracerProvider ?? trace.getTracerProvider()).getTracer(TELEMETRY_SCOPE)
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
