import { AppConfigError } from '../app-config.error';
import { configNamespace, Env, readVariables } from '../config-namespace';
import { EnvBool, EnvHttpUrl, EnvInt, EnvString } from '../env.decorators';

const DEFAULT_METRICS_PORT = 9464;
const DEFAULT_SERVICE_NAME = 'thaibulksms-sample-app';

export class TelemetryVariables {
  /** `true`: the OpenTelemetry SDK starts before the app (src/telemetry/instrument.ts). */
  @EnvBool() OTEL_ENABLED = false;
  /** Port of the Prometheus exporter's own server (`GET /metrics`). */
  @EnvInt(1, 65_535) METRICS_PORT = DEFAULT_METRICS_PORT;
  @EnvString() METRICS_HOST = '127.0.0.1';
  /** OTLP/HTTP base URL: traces, and metrics too, go there when set. */
  @EnvHttpUrl() OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** `service.name` of every span and metric. */
  @EnvString() OTEL_SERVICE_NAME = DEFAULT_SERVICE_NAME;
}

export interface TelemetryConfig {
  readonly enabled: boolean;
  readonly metricsPort: number;
  readonly metricsHost: string;
  readonly otlpEndpoint?: string;
  readonly serviceName: string;
}

/** OpenTelemetry: metrics (Prometheus, OTLP) and traces (OTLP); README, "Observability". */
export const telemetryConfig = configNamespace('telemetry', {
  variables: TelemetryVariables,
  read: (env) => telemetryOf(env),
});

/**
 * The telemetry settings alone, exactly as the app reads them: src/telemetry/instrument.ts needs
 * them before anything else is loaded. Throws AppConfigError.
 */
export function loadTelemetryConfig(given: Env): TelemetryConfig {
  const { values, problems } = readVariables(TelemetryVariables, given);
  if (problems.length > 0) throw new AppConfigError(problems);
  return telemetryOf(values);
}

function telemetryOf(env: TelemetryVariables): TelemetryConfig {
  return {
    enabled: env.OTEL_ENABLED,
    metricsPort: env.METRICS_PORT,
    metricsHost: env.METRICS_HOST,
    ...(env.OTEL_EXPORTER_OTLP_ENDPOINT && { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT }),
    serviceName: env.OTEL_SERVICE_NAME,
  };
}
