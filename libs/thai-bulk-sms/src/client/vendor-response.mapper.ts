import {
  BAD_RESPONSE_ERROR_NAME,
  errorOfCategory,
  categoryForStatus,
  OtpApplicationNotFoundError,
  OtpCodeInvalidError,
  OtpInvalidParameterError,
  OtpTokenExpiredError,
  ThaiBulkSmsError,
  ThaiBulkSmsUpstreamError,
  vendorError,
} from '../errors';
import type { OtpRequestResult, OtpVerifyResult } from '../otp/otp.types';
import type { CreditBalance } from '../sms/sms.types';
import { TransportResponse } from '../transport/thai-bulk-sms.transport';
import { VendorText, vendorErrorName } from './vendor-text';

export { BAD_RESPONSE_ERROR_NAME };
export const OTP_UNKNOWN_ERROR_NAME = 'OTP_ERROR';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An answer we cannot read (HTML error page, cut-off JSON, unexpected shape). The body is never
 * quoted: it may be large, and it is the vendor's, not ours to forward.
 */
export function badResponse(status: number, what: string): ThaiBulkSmsUpstreamError {
  return new ThaiBulkSmsUpstreamError({
    errorName: BAD_RESPONSE_ERROR_NAME,
    description: `ThaiBulkSMS answered ${what} (HTTP ${status}).`,
    upstreamStatus: status,
  });
}

/**
 * The vendor's `{ error: { code, name, description } }` envelope as a typed error, if it is one.
 * Only an upper-snake-case name of bounded length counts as a name (anything else, `__proto__`
 * or 100 KB of text, is an envelope without one); the description goes through `text`.
 */
export function envelopeError(response: TransportResponse, text: VendorText): ThaiBulkSmsError | undefined {
  if (!isObject(response.body) || !isObject(response.body.error)) return undefined;
  const { code, description } = response.body.error;
  const name = vendorErrorName(response.body.error.name);
  if (name === undefined) return undefined;
  return vendorError({
    name,
    upstreamStatus: response.status,
    vendorCode:
      typeof code === 'number' && Number.isSafeInteger(code)
        ? code
        : typeof code === 'string' && /^\d{1,9}$/.test(code)
          ? Number(code)
          : undefined,
    description: text(description),
  });
}

/** Returns the JSON object of a 2xx answer, or throws the typed error the answer stands for. */
export function expectSuccessObject(response: TransportResponse, text: VendorText): Json {
  const failure = envelopeError(response, text);
  if (failure) throw failure;
  if (!response.json) throw badResponse(response.status, 'with a body that is not JSON');
  if (response.status < 200 || response.status >= 300) {
    throw errorOfCategory(
      categoryForStatus(response.status) === 'caller' ? 'upstream' : categoryForStatus(response.status),
      {
        errorName: BAD_RESPONSE_ERROR_NAME,
        description: `ThaiBulkSMS answered HTTP ${response.status} without an error name.`,
        upstreamStatus: response.status,
      },
    );
  }
  if (!isObject(response.body)) throw badResponse(response.status, 'with an unexpected body');
  return response.body;
}

const OTP_MESSAGE_ERRORS: Record<string, (status: number, message: string) => ThaiBulkSmsError> = {
  'code is invalid.': (status, description) => new OtpCodeInvalidError({ upstreamStatus: status, description }),
  'token is expire.': (status, description) => new OtpTokenExpiredError({ upstreamStatus: status, description }),
  'invalid paramete.': (status, description) => new OtpInvalidParameterError({ upstreamStatus: status, description }),
  'application not found.': (status, description) =>
    new OtpApplicationNotFoundError({ upstreamStatus: status, description }),
};

/** The OTP product's `{ code, errors: [{ message }] }` answer as a typed error, if it is one. */
export function otpError(response: TransportResponse, text: VendorText): ThaiBulkSmsError | undefined {
  const envelope = envelopeError(response, text);
  if (envelope) return envelope;
  if (!isObject(response.body) || !Array.isArray(response.body.errors)) return undefined;
  const first = response.body.errors.find(isObject);
  const message = text(first?.message) ?? '';
  const known = OTP_MESSAGE_ERRORS[message.trim().toLowerCase()];
  if (known) return known(response.status, message);
  return errorOfCategory(categoryForStatus(response.status), {
    errorName: OTP_UNKNOWN_ERROR_NAME,
    description: message || `The OTP service answered HTTP ${response.status}.`,
    upstreamStatus: response.status,
  });
}

export { isObject };

/** The answer of an OTP call: an error answer as its typed error, anything else through `read`. */
export function readOtpAnswer<T>(
  response: TransportResponse,
  text: VendorText,
  read: (response: TransportResponse) => T,
): T {
  if (response.status >= 300 || !response.json) {
    throw otpError(response, text) ?? badResponse(response.status, 'with a body that is not JSON');
  }
  return read(response);
}

/** The OTP request's token and reference, at the top level or under `data`. */
export function readOtpRequest(response: TransportResponse): OtpRequestResult {
  const body = isObject(response.body) && isObject(response.body.data) ? response.body.data : response.body;
  if (!isObject(body) || typeof body.token !== 'string' || body.token === '') {
    throw badResponse(response.status, 'an OTP request body without a token');
  }
  return { token: body.token, refno: typeof body.refno === 'string' ? body.refno : '' };
}

/** The vendor has been seen answering `success` and `verified` (docs/vendor-api.md, "OTP"); both mean correct. */
export function readOtpVerify(response: TransportResponse): OtpVerifyResult {
  const body = isObject(response.body) && isObject(response.body.data) ? response.body.data : response.body;
  const status = isObject(body) && typeof body.status === 'string' ? body.status.toLowerCase() : '';
  if (status !== 'success' && status !== 'verified')
    throw badResponse(response.status, 'an OTP verify body without a success status');
  return {
    verified: true as const,
    message: isObject(body) && typeof body.message === 'string' ? body.message : 'Code is correct.',
  };
}

/** The vendor's client copes with a bare number as well as the pools object; so do we. */
export function readCredit(response: TransportResponse, text: VendorText): CreditBalance {
  if (response.json && typeof response.body === 'number' && response.status < 300)
    return { standard: response.body, corporate: 0 };
  const remaining = expectSuccessObject(response, text).remaining_credit;
  if (typeof remaining === 'number') return { standard: remaining, corporate: 0 };
  if (isObject(remaining) && typeof remaining.standard === 'number') {
    return {
      standard: remaining.standard,
      corporate: typeof remaining.corporate === 'number' ? remaining.corporate : 0,
    };
  }
  throw badResponse(response.status, 'a credit body without remaining_credit');
}
