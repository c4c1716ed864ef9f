import {
  OtpTokenExpiredError,
  OtpVerifyOutcomeUnknownError,
  ThaiBulkSmsError,
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsTimeoutError,
  ThaiBulkSmsUpstreamError,
} from '../errors';

/**
 * Retry policy of one OTP verify call. Verify is not idempotent: a correct PIN uses the token up,
 * so an attempt that reached the vendor and lost its answer makes every retry say "Token is
 * expire." to a user who typed the right code. Hence:
 *
 * - retried: connections that provably never opened (refused, DNS) and vendor 5xx answers;
 * - not retried: timeouts, dropped connections, 429 and unreadable 2xx answers — each may hide a
 *   verify that went through, and only a new code can settle it;
 * - a 5xx may itself come after the token was used, so when a retry after one is told the token
 *   is expired, the caller gets OtpVerifyOutcomeUnknownError, not OtpTokenExpiredError;
 * - a final timeout, cut connection or unreadable 2xx may hide a verify that went through, so the
 *   caller gets OtpVerifyOutcomeUnknownError too (its `cause` is the failure): the user needs a
 *   new code, and nobody should try the same token again.
 *
 * One instance per verify call: it remembers that call's earlier failures.
 */
export class OtpVerifyAttempts {
  private uncertain?: ThaiBulkSmsError;

  readonly retryable = (error: unknown): boolean => {
    if (error instanceof ThaiBulkSmsNetworkError && !error.requestMayHaveArrived) return true;
    if (
      error instanceof ThaiBulkSmsUpstreamError &&
      error.upstreamStatus !== undefined &&
      error.upstreamStatus >= 500
    ) {
      this.uncertain ??= error;
      return true;
    }
    return false;
  };

  /** The error the caller should see for the call's final failure. */
  outcomeOf(error: unknown): unknown {
    if (error instanceof OtpTokenExpiredError && this.uncertain) {
      return new OtpVerifyOutcomeUnknownError({ earlier: this.uncertain, upstreamStatus: error.upstreamStatus });
    }
    if (mayHaveUsedTheToken(error)) {
      return new OtpVerifyOutcomeUnknownError({ earlier: error, upstreamStatus: error.upstreamStatus, final: true });
    }
    return error;
  }
}

/** A failure with no usable answer from an attempt that may have reached the vendor. */
function mayHaveUsedTheToken(error: unknown): error is ThaiBulkSmsError {
  if (error instanceof ThaiBulkSmsTimeoutError) return true;
  if (error instanceof ThaiBulkSmsNetworkError) return error.requestMayHaveArrived;
  const status = error instanceof ThaiBulkSmsUpstreamError ? error.upstreamStatus : undefined;
  return status !== undefined && status >= 200 && status < 300;
}
