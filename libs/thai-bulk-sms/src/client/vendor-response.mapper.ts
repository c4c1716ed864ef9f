import {
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
import { TransportResponse } from './thai-bulk-sms.transport';

export const BAD_RESPONSE_ERROR_NAME = 'ERROR_UPSTREAM_BAD_RESPONSE';
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

/** The vendor's `{ error: { code, name, description } }` envelope as a typed error, if it is one. */
export function envelopeError(response: TransportResponse): ThaiBulkSmsError | undefined {
  if (!isObject(response.body) || !isObject(response.body.error)) return undefined;
  const { name, code, description } = response.body.error;
  if (typeof name !== 'string' || name === '') return undefined;
  return vendorError({
    name,
    upstreamStatus: response.status,
    vendorCode:
      typeof code === 'number' ? code : typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : undefined,
    description: typeof description === 'string' ? description.slice(0, 300) : undefined,
  });
}

/** Returns the JSON object of a 2xx answer, or throws the typed error the answer stands for. */
export function expectSuccessObject(response: TransportResponse): Json {
  const failure = envelopeError(response);
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
export function otpError(response: TransportResponse): ThaiBulkSmsError | undefined {
  const envelope = envelopeError(response);
  if (envelope) return envelope;
  if (!isObject(response.body) || !Array.isArray(response.body.errors)) return undefined;
  const first = response.body.errors.find(isObject);
  const message = typeof first?.message === 'string' ? first.message.slice(0, 300) : '';
  const known = OTP_MESSAGE_ERRORS[message.trim().toLowerCase()];
  if (known) return known(response.status, message);
  return errorOfCategory(categoryForStatus(response.status), {
    errorName: OTP_UNKNOWN_ERROR_NAME,
    description: message || `The OTP service answered HTTP ${response.status}.`,
    upstreamStatus: response.status,
  });
}

export { isObject };
