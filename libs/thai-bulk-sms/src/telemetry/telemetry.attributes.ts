import { ThaiBulkSmsAbortedError, ThaiBulkSmsError, ThaiBulkSmsNetworkError, ThaiBulkSmsTimeoutError } from '../errors';

/** Instrumentation scope of every meter and tracer of the library. */
export const TELEMETRY_SCOPE = 'nestjs-thaibulksms';

/** Attribute keys of the library's metrics and spans (OpenTelemetry naming: namespaced, lower case). */
export const ATTR = {
  registration: 'thaibulksms.registration',
  operation: 'thaibulksms.operation',
  outcome: 'thaibulksms.outcome',
  errorType: 'error.type',
  errorCategory: 'thaibulksms.error.category',
  creditPool: 'thaibulksms.credit.pool',
  recipientStatus: 'thaibulksms.recipient.status',
  deliveryStatus: 'thaibulksms.delivery.status',
  otpResult: 'thaibulksms.otp.result',
  queueName: 'thaibulksms.queue.name',
  jobState: 'thaibulksms.queue.job.state',
  refusalReason: 'thaibulksms.refusal.reason',
} as const;

/** How a vendor call attempt ended. */
export type CallOutcome = 'success' | 'vendor_error' | 'network' | 'timeout' | 'aborted';

/**
 * The outcome and `error.type` of a failed attempt: the vendor's error name, or ours for failures
 * the vendor never names. A non-library error (a transport breaking its contract) counts as a
 * network failure under its class name.
 */
export function failureOf(error: unknown): { readonly outcome: CallOutcome; readonly errorType: string } {
  if (error instanceof ThaiBulkSmsTimeoutError) return { outcome: 'timeout', errorType: error.errorName };
  if (error instanceof ThaiBulkSmsAbortedError) return { outcome: 'aborted', errorType: error.errorName };
  if (error instanceof ThaiBulkSmsNetworkError) return { outcome: 'network', errorType: error.errorName };
  if (error instanceof ThaiBulkSmsError) return { outcome: 'vendor_error', errorType: error.errorName };
  return { outcome: 'network', errorType: boundedName(error instanceof Error ? error.name : typeof error) };
}

/**
 * A short name fit for an attribute value: at most 64 of A-Z a-z 0-9 _ . -, else `other`. Keeps
 * free text (which could hold a number or a message) out of metrics and traces.
 */
export function boundedName(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : 'other';
}
