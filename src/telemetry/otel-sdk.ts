import type { IncomingMessage } from 'node:http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TelemetryConfig } from '../config/namespaces/telemetry.config';
import { isUntraced, redactedUrlAttributes } from './http-redaction';

/** The running SDK and the local ports whose requests are not the app's (the embedded sandbox). */
export interface RunningTelemetry {
  readonly sdk: NodeSDK;
  readonly prometheus: PrometheusExporter;
  /** Requests arriving on these local ports are not traced. */
  readonly ignoredPorts: Set<number>;
  shutdown(): Promise<void>;
}

/**
 * The OpenTelemetry Node SDK as the sample app runs it:
 * - metrics: a Prometheus exporter (its own server, `GET /metrics` on METRICS_HOST:METRICS_PORT),
 *   plus OTLP/HTTP every 60 s when OTEL_EXPORTER_OTLP_ENDPOINT is set;
 * - traces, only when that endpoint is set (a span nobody receives is pure cost: the HTTP
 *   instrumentation's per-request context alone costs more than the 5% of CPU per send that
 *   metrics are allowed, see docs/decisions.md): OTLP/HTTP export, HTTP server spans for the app's
 *   requests except /health and /metrics, with the webhook token and query strings redacted.
 *   Outgoing requests are not instrumented: the library makes one client span per vendor call
 *   itself (nestjs-thaibulksms/telemetry).
 */
export function startTelemetry(config: TelemetryConfig, onError: (message: string) => void): RunningTelemetry {
  const ignoredPorts = new Set<number>();
  const prometheus = new PrometheusExporter({ host: config.metricsHost, port: config.metricsPort }, (error) => {
    if (error)
      onError(`Prometheus exporter could not listen on ${config.metricsHost}:${config.metricsPort}: ${error.message}`);
  });
  const metricReaders: MetricReader[] = [prometheus];
  const spanProcessors: SpanProcessor[] = [];
  const instrumentations: HttpInstrumentation[] = [];
  if (config.otlpEndpoint) {
    // Both exporters read OTEL_EXPORTER_OTLP_ENDPOINT (and its per-signal variants) themselves.
    metricReaders.push(new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() }));
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
    instrumentations.push(
      new HttpInstrumentation({
        disableOutgoingRequestInstrumentation: true,
        ignoreIncomingRequestHook: (request: IncomingMessage) =>
          isUntraced(request.url) || ignoredPorts.has(request.socket.localPort ?? -1),
        startIncomingSpanHook: redactedUrlAttributes,
      }),
    );
  }
  // No span processor: NodeSDK registers no tracer provider, and the tracing API stays a no-op.
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    metricReaders,
    spanProcessors,
    // The app logs through Nest's logger; no OpenTelemetry log pipeline.
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  return { sdk, prometheus, ignoredPorts, shutdown: () => sdk.shutdown() };
}
