import { ThaiBulkSmsAccountError } from './thai-bulk-sms-account.error';
import { ThaiBulkSmsRequestError } from './thai-bulk-sms-request.error';
import { ThaiBulkSmsUpstreamError } from './thai-bulk-sms-upstream.error';
import { ThaiBulkSmsError } from './thai-bulk-sms.error';

/**
 * The OTP product answers with messages, not names (docs/vendor-api.md, "OTP"). These are our names for them,
 * so the filter and callers can tell them apart; `description` keeps the vendor's words.
 */
export const OTP_ERROR_NAMES = {
  codeInvalid: 'OTP_CODE_INVALID',
  tokenExpired: 'OTP_TOKEN_EXPIRED',
  invalidParameter: 'OTP_INVALID_PARAMETER',
  applicationNotFound: 'OTP_APPLICATION_NOT_FOUND',
  verifyOutcomeUnknown: 'OTP_VERIFY_OUTCOME_UNKNOWN',
} as const;

export interface OtpErrorOptions {
  /** The vendor's words; defaults to its known message. */
  readonly description?: string;
  readonly upstreamStatus?: number;
  readonly cause?: unknown;
}

/** The PIN does not match the token. */
export class OtpCodeInvalidError extends ThaiBulkSmsRequestError {
  constructor(options: OtpErrorOptions = {}) {
    super({
      errorName: OTP_ERROR_NAMES.codeInvalid,
      description: options.description ?? 'Code is invalid.',
      ...pick(options),
    });
  }
}

/** The token expired or was already used. Request a new OTP. */
export class OtpTokenExpiredError extends ThaiBulkSmsRequestError {
  constructor(options: OtpErrorOptions = {}) {
    super({
      errorName: OTP_ERROR_NAMES.tokenExpired,
      description: options.description ?? 'Token is expire.',
      ...pick(options),
    });
  }
}

/**
 * The input was refused ("Invalid Paramete."): a malformed phone, token or PIN. `source: 'local'`
 * when the library refused it before sending; the vendor can still refuse what passed locally
 * (its PIN length is set per OTP application).
 */
export class OtpInvalidParameterError extends ThaiBulkSmsRequestError {
  constructor(options: OtpErrorOptions & { readonly source?: 'local' | 'upstream'; readonly message?: string } = {}) {
    super(
      {
        errorName: OTP_ERROR_NAMES.invalidParameter,
        description: options.description ?? 'Invalid Paramete.',
        source: options.source,
        ...pick(options),
      },
      options.message,
    );
  }
}

/**
 * The OTP key/secret match no OTP application ("Application not found."). Our configuration, not
 * the caller's mistake: an account error, so the filter answers 503 and logs it for the operator.
 */
export class OtpApplicationNotFoundError extends ThaiBulkSmsAccountError {
  constructor(options: OtpErrorOptions = {}) {
    super({
      errorName: OTP_ERROR_NAMES.applicationNotFound,
      description: options.description ?? 'Application not found.',
      ...pick(options),
    });
  }
}

/**
 * A verify attempt failed after it may have reached the vendor and used the token up: whether the
 * code was right is unknown. Either the attempt itself had no usable answer (`final`: a timeout, a
 * connection cut after sending, an unreadable 2xx), or a retry after a vendor 5xx was told the
 * token is expired or used — "expired" would then blame a user who typed the correct code. Ask
 * the user to request a new code, and never try the token again. `cause` is the uncertain failure.
 */
export class OtpVerifyOutcomeUnknownError extends ThaiBulkSmsUpstreamError {
  constructor(options: {
    readonly earlier: ThaiBulkSmsError;
    readonly upstreamStatus?: number;
    /** The uncertain failure was the call's last: no retry found the token used. @default false */
    readonly final?: boolean;
  }) {
    const status = options.earlier.upstreamStatus === undefined ? '' : `, HTTP ${options.earlier.upstreamStatus}`;
    const failed = `An OTP verify attempt failed (${options.earlier.errorName}${status}) after it may have reached ThaiBulkSMS`;
    super({
      errorName: OTP_ERROR_NAMES.verifyOutcomeUnknown,
      description: options.final
        ? `${failed} and used the token: whether the code was correct is unknown.`
        : `${failed}, and the retry found the token used or expired: whether the code was correct is unknown.`,
      upstreamStatus: options.upstreamStatus,
      cause: options.earlier,
    });
  }
}

const pick = (o: OtpErrorOptions) => ({ upstreamStatus: o.upstreamStatus, cause: o.cause });
