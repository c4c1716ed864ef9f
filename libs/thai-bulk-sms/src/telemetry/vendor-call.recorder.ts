import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ThaiBulkSmsError } from '../errors';
import type { VendorCall, VendorCallProbe } from '../instrumentation/thai-bulk-sms.instrumentation';
import type { CreditBalance } from '../sms/sms.types';
import { ATTR, failureOf } from './telemetry.attributes';
import type { ThaiBulkSmsMetrics } from './telemetry.metrics';

const seconds = (fromMs: number) => (performance.now() - fromMs) / 1000;

/**
 * Records one attempt of a vendor call: the limiter wait, then a CLIENT span (HTTP client
 * semantic conventions) over the exchange, and the request count and duration by outcome.
 * Attributes are fixed names only: no number, text, token or credential ever reaches them.
 */
export class VendorCallRecorder implements VendorCallProbe {
  private readonly begun = performance.now();
  private sentAt?: number;
  private span?: Span;
  private status?: number;

  constructor(
    private readonly call: VendorCall,
    private readonly metrics: ThaiBulkSmsMetrics,
    private readonly tracer: Tracer | undefined,
  ) {}

  sending(limited: boolean): void {
    this.sentAt = performance.now();
    const { call } = this;
    if (limited)
      this.metrics.limiterWait.record((this.sentAt - this.begun) / 1000, {
        [ATTR.registration]: call.registration,
        [ATTR.operation]: call.operation,
      });
    if (!this.tracer) return;
    this.span = this.tracer.startSpan(`${call.method} ${call.path}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': call.method,
        'server.address': call.serverAddress,
        'server.port': call.serverPort,
        'url.full': call.url,
        'url.template': call.path,
        [ATTR.registration]: call.registration,
        [ATTR.operation]: call.operation,
      },
    });
  }

  answered(status: number): void {
    this.status = status;
    this.span?.setAttribute('http.response.status_code', status);
  }

  succeeded(result: unknown): void {
    if (this.call.operation === 'credit') {
      const balance = result as CreditBalance;
      this.metrics.setCreditsRemaining(this.call.registration, 'standard', balance.standard);
      this.metrics.setCreditsRemaining(this.call.registration, 'corporate', balance.corporate);
    }
    this.span?.end();
    this.count({ [ATTR.outcome]: 'success' });
  }

  failed(error: unknown): void {
    const { outcome, errorType } = failureOf(error);
    if (this.span) {
      const attributes: Attributes = { [ATTR.errorType]: errorType };
      if (error instanceof ThaiBulkSmsError) attributes[ATTR.errorCategory] = error.category;
      // An answer the client could not read (e.g. HTML from a proxy) has its status even so.
      if (this.status === undefined && error instanceof ThaiBulkSmsError && error.upstreamStatus !== undefined)
        attributes['http.response.status_code'] = error.upstreamStatus;
      this.span.setAttributes(attributes);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
      this.span.end();
    }
    this.count({ [ATTR.outcome]: outcome, [ATTR.errorType]: errorType });
  }

  private count(outcome: Attributes): void {
    const attributes = {
      [ATTR.registration]: this.call.registration,
      [ATTR.operation]: this.call.operation,
      ...outcome,
    };
    this.metrics.requests.add(1, attributes);
    // Aborted while it waited for the limiter: no exchange, so no duration.
    if (this.sentAt !== undefined) this.metrics.duration.record(seconds(this.sentAt), attributes);
  }
}
