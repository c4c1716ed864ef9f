import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPoint,
  Histogram,
  MeterProvider,
  MetricReader,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A reader that exports nothing on its own: `collect()` when the test wants the numbers. */
class ManualMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

type Attrs = Record<string, unknown>;

/**
 * The SDK with in-memory exporters, for asserting exact values: spans finished so far, and
 * metrics collected on demand. The context manager and W3C propagator are global in the API, so
 * `install` sets them for the spec file and `uninstall` removes them.
 */
export class TelemetryHarness {
  readonly spanExporter = new InMemorySpanExporter();
  readonly tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.spanExporter)] });
  private readonly reader = new ManualMetricReader();
  readonly meterProvider = new MeterProvider({ readers: [this.reader] });

  install(): this {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    return this;
  }

  async uninstall(): Promise<void> {
    context.disable();
    propagation.disable();
    await this.tracerProvider.shutdown();
    await this.meterProvider.shutdown();
  }

  spans(): ReadableSpan[] {
    return this.spanExporter.getFinishedSpans();
  }

  spansNamed(name: string): ReadableSpan[] {
    return this.spans().filter((span) => span.name === name);
  }

  reset(): void {
    this.spanExporter.reset();
  }

  async collect(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length) throw new Error(`metric collection failed: ${errors.map(String).join('; ')}`);
    return resourceMetrics;
  }

  /** Data points of metric `name` whose attributes include `match`. */
  async points(name: string, match: Attrs = {}): Promise<DataPoint<unknown>[]> {
    const metrics = await this.collect();
    const found = metrics.scopeMetrics.flatMap((s) => s.metrics).filter((m) => m.descriptor.name === name);
    return found
      .flatMap((m) => m.dataPoints as DataPoint<unknown>[])
      .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v));
  }

  /** Sum of the counter or gauge values of `name` over the matching points (0 when none). */
  async value(name: string, match: Attrs = {}): Promise<number> {
    return (await this.points(name, match)).reduce((sum, p) => sum + (p.value as number), 0);
  }

  /** Recorded values of histogram `name` over the matching points. */
  async histogramCount(name: string, match: Attrs = {}): Promise<number> {
    return (await this.points(name, match)).reduce((sum, p) => sum + (p.value as Histogram).count, 0);
  }

  /** Every point of every metric, as [name, attributes, value]: for exact comparisons. */
  async table(prefix = 'thaibulksms.'): Promise<[string, Attrs, unknown][]> {
    const metrics = await this.collect();
    return metrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .filter((m) => m.descriptor.name.startsWith(prefix))
      .flatMap((m) =>
        (m.dataPoints as DataPoint<unknown>[]).map((p): [string, Attrs, unknown] => [
          m.descriptor.name,
          p.attributes,
          p.value,
        ]),
      );
  }
}
