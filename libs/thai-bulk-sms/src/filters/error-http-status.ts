import { HttpStatus } from '@nestjs/common';
import {
  ABORTED_ERROR_NAME,
  ERROR_CATALOGUE,
  isVendorErrorName,
  OtpVerifyOutcomeUnknownError,
  OutsideSendingHoursError,
  RecipientOptedOutError,
  SmsQueueDedupeConflictError,
  ThaiBulkSmsError,
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsTimeoutError,
} from '../errors';

export const SERVICE_UNAVAILABLE_MESSAGE = 'SMS service is temporarily unavailable.';
export const UPSTREAM_FAILED_MESSAGE = 'The SMS provider failed to answer properly; try again later.';
export const UPSTREAM_TIMEOUT_MESSAGE = 'The SMS provider did not answer in time; try again later.';
export const UPSTREAM_BUSY_MESSAGE = 'The SMS provider is busy; try again shortly.';
export const OTP_OUTCOME_UNKNOWN_MESSAGE =
  'The code could not be confirmed and this token may be used up; request a new code.';

export interface ErrorHttpAnswer {
  readonly status: number;
  readonly message: string;
}

/**
 * The status policy (the library README, "Errors").
 * - caller: the catalogue's status for a name of the vendor's table (400), the vendor's 4xx for
 *   a name it does not list, 400 when caught locally; a wrong or expired OTP is 400 too (the
 *   vendor's own status for it); a well-formed send the compliance rules refuse as things stand
 *   (outside the marketing hours, every recipient opted out) is 422: the request is right, only
 *   its moment or its recipients are not; a queue dedupe key that already names another send
 *   is 409;
 * - account/configuration: 503, never 401/403 — the caller did nothing wrong and must not learn
 *   how our account is set up; the message is generic (also Redis or the ledger's database down);
 * - upstream: 502, or 503 when the vendor says it is over its rate limit (429); timeout 504;
 *   network failure 502; an OTP verify whose outcome is unknown 502 (504 after a timeout), with
 *   the advice to request a new code.
 */
export function httpAnswerFor(error: ThaiBulkSmsError): ErrorHttpAnswer {
  switch (error.category) {
    case 'caller': {
      if (error.errorName === ABORTED_ERROR_NAME) return { status: HttpStatus.BAD_REQUEST, message: error.message };
      if (error instanceof OutsideSendingHoursError || error instanceof RecipientOptedOutError)
        return { status: HttpStatus.UNPROCESSABLE_ENTITY, message: error.message };
      if (error instanceof SmsQueueDedupeConflictError) return { status: HttpStatus.CONFLICT, message: error.message };
      // A name of the vendor's table answers its 4xx there, whatever status carried it (an
      // ERROR_MSISDN under a 401 or 429 is still the caller's 400); an unknown name keeps the 4xx.
      // A caller error under a name the table gives a 5xx (the ledger's ERROR_QUERY_STRING) is a 400.
      if (isVendorErrorName(error.errorName)) {
        const { status } = ERROR_CATALOGUE[error.errorName];
        return { status: status < 500 ? status : HttpStatus.BAD_REQUEST, message: error.message };
      }
      const upstream = error.upstreamStatus;
      const status = upstream !== undefined && upstream >= 400 && upstream < 500 ? upstream : HttpStatus.BAD_REQUEST;
      return { status, message: error.message };
    }
    case 'account':
      return { status: HttpStatus.SERVICE_UNAVAILABLE, message: SERVICE_UNAVAILABLE_MESSAGE };
    case 'upstream':
      // Retrying the same token can only answer "expired": the advice is a new code, not "later".
      if (error instanceof OtpVerifyOutcomeUnknownError)
        return {
          status: error.cause instanceof ThaiBulkSmsTimeoutError ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY,
          message: OTP_OUTCOME_UNKNOWN_MESSAGE,
        };
      if (error instanceof ThaiBulkSmsTimeoutError)
        return { status: HttpStatus.GATEWAY_TIMEOUT, message: UPSTREAM_TIMEOUT_MESSAGE };
      if (error instanceof ThaiBulkSmsNetworkError)
        return { status: HttpStatus.BAD_GATEWAY, message: UPSTREAM_FAILED_MESSAGE };
      if (error.upstreamStatus === 429)
        return { status: HttpStatus.SERVICE_UNAVAILABLE, message: UPSTREAM_BUSY_MESSAGE };
      return { status: HttpStatus.BAD_GATEWAY, message: UPSTREAM_FAILED_MESSAGE };
  }
}
