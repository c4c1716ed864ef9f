import type {
  Attributes,
  BatchObservableCallback,
  Counter,
  Histogram,
  Meter,
  ObservableGauge,
  BatchObservableResult,
} from '@opentelemetry/api';
import { ValueType } from '@opentelemetry/api';
import { ATTR } from './telemetry.attributes';

/** Bucket bounds (seconds) of vendor call durations: the HTTP semantic conventions' own. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Bucket bounds (seconds) of limiter waits: mostly none, up to a few seconds behind a burst. */
export const LIMITER_WAIT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How long a scrape waits for one queue's counts before it leaves that queue out. */
const QUEUE_READ_TIMEOUT_MS = 2_000;

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The library's instruments on one meter. Gauges are observed at collection: the latest credit
 * balance per registration and pool, and the depth of each watched queue (read from Redis then,
 * never on a timer) until the app closes.
 */
export class ThaiBulkSmsMetrics {
  readonly requests: Counter;
  readonly duration: Histogram;
  readonly limiterWait: Histogram;
  readonly recipients: Counter;
  readonly creditsUsed: Counter;
  readonly deliveryReports: Counter;
  readonly otpVerifications: Counter;
  readonly ledgerRefusals: Counter;
  readonly complianceRefusals: Counter;
  private readonly creditsRemaining: ObservableGauge;
  private readonly queueJobs: ObservableGauge;
  private readonly balances = new Map<string, { readonly attributes: Attributes; value: number }>();
  private readonly queues = new Map<string, () => Promise<Readonly<Record<string, number>>>>();
  private readonly observe: BatchObservableCallback;

  constructor(private readonly meter: Meter) {
    this.requests = meter.createCounter('thaibulksms.client.requests', {
      description: 'Vendor call attempts, by operation and outcome',
      unit: '{request}',
      valueType: ValueType.INT,
    });
    this.duration = meter.createHistogram('thaibulksms.client.duration', {
      description: 'Duration of vendor call attempts, from leaving the rate limiter to the answer read',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.limiterWait = meter.createHistogram('thaibulksms.limiter.wait', {
      description: 'Time a vendor call waited for the rate limiter',
      unit: 's',
      advice: { explicitBucketBoundaries: LIMITER_WAIT_BUCKETS },
    });
    this.recipients = meter.createCounter('thaibulksms.sms.recipients', {
      description: 'Recipients of SMS requests, by status: accepted, rejected, unknown (the request may have arrived)',
      unit: '{recipient}',
      valueType: ValueType.INT,
    });
    this.creditsUsed = meter.createCounter('thaibulksms.credits.used', {
      description: 'Credits charged by accepted SMS requests, by pool',
      unit: '{credit}',
    });
    this.deliveryReports = meter.createCounter('thaibulksms.delivery.reports', {
      description: 'Delivery reports received, by status',
      unit: '{report}',
      valueType: ValueType.INT,
    });
    this.otpVerifications = meter.createCounter('thaibulksms.otp.verifications', {
      description: 'OTP verifications, by result',
      unit: '{verification}',
      valueType: ValueType.INT,
    });
    this.ledgerRefusals = meter.createCounter('thaibulksms.ledger.refusals', {
      description: 'Sends the message ledger refused before any request, by reason',
      unit: '{refusal}',
      valueType: ValueType.INT,
    });
    this.complianceRefusals = meter.createCounter('thaibulksms.compliance.refusals', {
      description: 'Sends the compliance guard refused before any request, by reason',
      unit: '{refusal}',
      valueType: ValueType.INT,
    });
    this.creditsRemaining = meter.createObservableGauge('thaibulksms.credits.remaining', {
      description: 'Credit balance per pool, from the latest answer that reported it',
      unit: '{credit}',
    });
    this.queueJobs = meter.createObservableGauge('thaibulksms.queue.jobs', {
      description: 'Chunk jobs of a ThaiBulkSmsQueue queue, by state (waiting, active, delayed, failed)',
      unit: '{job}',
      valueType: ValueType.INT,
    });
    this.observe = (result) => this.observeGauges(result);
    meter.addBatchObservableCallback(this.observe, [this.creditsRemaining, this.queueJobs]);
  }

  /** Remembers the balance `value` of `pool` as reported for `registration`. */
  setCreditsRemaining(registration: string, pool: string, value: number): void {
    if (!Number.isFinite(value)) return;
    const key = `${registration}\u0000${pool}`;
    const known = this.balances.get(key);
    if (known) known.value = value;
    else this.balances.set(key, { attributes: { [ATTR.registration]: registration, [ATTR.creditPool]: pool }, value });
  }

  watchQueue(queueName: string, jobCounts: () => Promise<Readonly<Record<string, number>>>): void {
    this.queues.set(queueName, jobCounts);
  }

  /** Nest calls it when the app closes: the gauges stop reporting (and reading Redis). */
  onModuleDestroy(): void {
    this.meter.removeBatchObservableCallback(this.observe, [this.creditsRemaining, this.queueJobs]);
    this.queues.clear();
  }

  private async observeGauges(result: BatchObservableResult): Promise<void> {
    for (const { attributes, value } of this.balances.values())
      result.observe(this.creditsRemaining, value, attributes);
    await Promise.all(
      [...this.queues].map(async ([queueName, jobCounts]) => {
        const counts = await withTimeout(jobCounts(), QUEUE_READ_TIMEOUT_MS).catch(() => undefined);
        if (!counts) return; // Redis away: no point rather than a wrong zero
        for (const state of QUEUE_STATES)
          result.observe(this.queueJobs, counts[state] ?? 0, { [ATTR.queueName]: queueName, [ATTR.jobState]: state });
      }),
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
