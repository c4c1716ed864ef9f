import {
  ThaiBulkSmsAbortedError,
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsTimeoutError,
  ThaiBulkSmsUpstreamError,
} from '../errors';
import { RetryPolicy } from '../thai-bulk-sms.options';
import { ThaiBulkSmsClock } from './clock';

export interface RetryHooks {
  readonly clock: ThaiBulkSmsClock;
  /** 0..1; Math.random in production, fixed in tests. */
  readonly random?: () => number;
  readonly signal?: AbortSignal;
  /** Which failures may be repeated for this operation. */
  readonly retryable: (error: unknown) => boolean;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** A send may have reached the API unless the connection provably never opened. */
export const retryOnlyIfNeverSent = (error: unknown) =>
  error instanceof ThaiBulkSmsNetworkError && !error.requestMayHaveArrived;

/**
 * Idempotent calls (credit) may also be repeated after timeouts and vendor failures. OTP verify is
 * not idempotent (a correct PIN uses the token up): it has its own policy, OtpVerifyAttempts.
 */
export const retryIdempotent = (error: unknown) =>
  error instanceof ThaiBulkSmsNetworkError ||
  error instanceof ThaiBulkSmsTimeoutError ||
  (error instanceof ThaiBulkSmsUpstreamError &&
    (error.upstreamStatus === undefined || error.upstreamStatus >= 500 || error.upstreamStatus === 429));

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)). */
export function backoffDelayMs(policy: Required<RetryPolicy>, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Retries an operation whose first attempt failed with `error`, as `policy` allows. The caller
 * makes the first attempt itself, so a call that succeeds builds no hooks and runs no loop.
 */
export async function retryAfterFirstFailure<T>(
  policy: Required<RetryPolicy>,
  hooks: RetryHooks,
  call: () => Promise<T>,
  error: unknown,
): Promise<T> {
  const random = hooks.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    if (attempt >= policy.retries || !hooks.retryable(error)) throw error;
    const delayMs = backoffDelayMs(policy, attempt, random);
    hooks.onRetry?.(error, attempt + 1, delayMs);
    try {
      await hooks.clock.sleep(delayMs, hooks.signal);
    } catch (abort) {
      throw abortAfter(error, abort);
    }
    try {
      return await call();
    } catch (next) {
      error = next;
    }
  }
}

/**
 * The abort of a backoff says nothing was sent by the attempt it stopped; the operation's earlier
 * attempt may have arrived all the same (an OTP verify retried after a 5xx), and then so says the
 * error.
 */
function abortAfter(previous: unknown, abort: unknown): unknown {
  const neverSent = (e: unknown) =>
    (e instanceof ThaiBulkSmsNetworkError || e instanceof ThaiBulkSmsAbortedError) && !e.requestMayHaveArrived;
  return abort instanceof ThaiBulkSmsAbortedError && neverSent(abort) && !neverSent(previous)
    ? new ThaiBulkSmsAbortedError(previous, true)
    : abort;
}
