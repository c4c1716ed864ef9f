import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  BulkSendSummary,
  QueueJobRun,
  RefusalSource,
  ThaiBulkSmsInstrumentation,
  VendorCall,
  VendorCallProbe,
} from '../instrumentation/thai-bulk-sms.instrumentation';
import { ATTR, boundedName, failureOf } from './telemetry.attributes';
import type { ThaiBulkSmsMetrics } from './telemetry.metrics';
import { VendorCallRecorder } from './vendor-call.recorder';

/** The messaging system named on queue spans. */
const MESSAGING_SYSTEM = 'bullmq';

/**
 * ThaiBulkSmsInstrumentation on the OpenTelemetry API. With no SDK registered the API hands out
 * no-op meters and tracers, so every call here is cheap and records nothing. `tracer` undefined:
 * traces are switched off in the options (metrics then go to a no-op meter).
 */
export class OpenTelemetryInstrumentation extends ThaiBulkSmsInstrumentation {
  constructor(
    private readonly metrics: ThaiBulkSmsMetrics,
    private readonly tracer: Tracer | undefined,
  ) {
    super();
  }

  vendorCall(call: VendorCall): VendorCallProbe {
    return new VendorCallRecorder(call, this.metrics, this.tracer);
  }

  /** An INTERNAL span `thaibulksms.sms.bulk`, parent of its chunks' request spans. */
  bulkSend<T extends BulkSendSummary>(registration: string, run: () => Promise<T>): Promise<T> {
    if (!this.tracer) return run();
    const attributes = { [ATTR.registration]: registration };
    return this.inSpan('thaibulksms.sms.bulk', SpanKind.INTERNAL, attributes, undefined, async (span) => {
      const result = await run();
      span.setAttributes({
        'thaibulksms.bulk.chunks': result.chunks,
        'thaibulksms.bulk.accepted': result.acceptedCount,
        'thaibulksms.bulk.rejected': result.rejectedCount,
        'thaibulksms.bulk.failed_chunks': result.failedChunks.length,
      });
      const firstFailure = result.failedChunks[0];
      if (firstFailure) {
        const errorType = boundedName(firstFailure.errorName);
        span.setAttribute(ATTR.errorType, errorType);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
      }
      return result;
    });
  }

  /** A PRODUCER span `send <queue>`, whose context every chunk job carries. */
  enqueue<T>(queueName: string, run: (traceContext: Readonly<Record<string, string>> | undefined) => Promise<T>) {
    if (!this.tracer) return run(undefined);
    return this.inSpan(`send ${queueName}`, SpanKind.PRODUCER, messaging(queueName, 'send'), undefined, () => {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      return run(Object.keys(carrier).length > 0 ? carrier : undefined);
    });
  }

  /** A CONSUMER span `process <queue>`, child of the enqueue's span when the job carries its context. */
  processJob<T>(job: QueueJobRun, run: () => Promise<T>): Promise<T> {
    if (!this.tracer) return run();
    const parent = job.traceContext ? propagation.extract(ROOT_CONTEXT, job.traceContext) : ROOT_CONTEXT;
    const attributes = { ...messaging(job.queueName, 'process'), 'thaibulksms.queue.attempt': job.attempt };
    return this.inSpan(`process ${job.queueName}`, SpanKind.CONSUMER, attributes, parent, run);
  }

  watchQueue(queueName: string, jobCounts: () => Promise<Readonly<Record<string, number>>>): void {
    this.metrics.watchQueue(queueName, jobCounts);
  }

  refusal(source: RefusalSource, reason: string, registration: string): void {
    const counter = source === 'ledger' ? this.metrics.ledgerRefusals : this.metrics.complianceRefusals;
    counter.add(1, { [ATTR.registration]: registration, [ATTR.refusalReason]: boundedName(reason) });
  }

  /** Runs `run` with a new active span; the span ends (with the error's type on failure) when it settles. */
  private inSpan<T>(
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    parent: Context | undefined,
    run: (span: Span) => Promise<T>,
  ): Promise<T> {
    const tracer = this.tracer!;
    const body = async (span: Span): Promise<T> => {
      try {
        return await run(span);
      } catch (error) {
        const { errorType } = failureOf(error);
        span.setAttribute(ATTR.errorType, errorType);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
        throw error;
      } finally {
        span.end();
      }
    };
    return parent
      ? tracer.startActiveSpan(name, { kind, attributes }, parent, body)
      : tracer.startActiveSpan(name, { kind, attributes }, body);
  }
}

function messaging(queueName: string, operation: 'send' | 'process'): Attributes {
  return {
    'messaging.system': MESSAGING_SYSTEM,
    'messaging.destination.name': queueName,
    'messaging.operation.type': operation,
    'messaging.operation.name': operation,
  };
}
