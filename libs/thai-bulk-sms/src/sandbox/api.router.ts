import { IncomingMessage } from 'node:http';
import { handleCredit } from './credit.handler';
import { handleOtpRequest, handleOtpVerify } from './otp.handler';
import { ParsedBody } from './request-body.parser';
import { OTP_MESSAGES } from './sandbox.constants';
import { otpErrorResponse, SandboxResponse, vendorErrorResponse } from './sandbox.response';
import { SandboxState } from './sandbox.state';
import { AcceptedBatch, handleSendSms } from './sms.handler';

const METHODS: Readonly<Record<string, string>> = {
  '/sms': 'POST',
  '/credit': 'GET',
  '/v2/otp/request': 'POST',
  '/v2/otp/verify': 'POST',
};

export function isApiPath(path: string): boolean {
  return Object.prototype.hasOwnProperty.call(METHODS, path);
}

/** One API request, body already read and parsed, to its answer. */
export function answerApi(
  state: SandboxState,
  req: IncomingMessage,
  path: string,
  body: ParsedBody,
  onAccepted: (batch: AcceptedBatch) => void,
): SandboxResponse {
  if (req.method !== METHODS[path]) return vendorErrorResponse('ERROR_METHOD_NOT_ALLOWED');
  if (path === '/sms' || path === '/credit') {
    if (!isAuthorized(state, req.headers.authorization)) return vendorErrorResponse('ERROR_AUTHENTICATION_FAILED');
    if (path === '/credit') return handleCredit(state);
    if (!body.ok) return vendorErrorResponse('ERROR_FORM');
    return handleSendSms(state, body.fields, onAccepted);
  }
  if (!body.ok) return otpErrorResponse(OTP_MESSAGES.invalidParameter);
  return path === '/v2/otp/request' ? handleOtpRequest(state, body.fields) : handleOtpVerify(state, body.fields);
}

function isAuthorized(state: SandboxState, header: string | undefined): boolean {
  if (header === undefined) return false;
  if (header === state.expectedAuthorization) return true;
  // The scheme is case-insensitive and may carry extra spaces; the credentials are not.
  const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const { apiKey, apiSecret } = state.options.credentials;
  return decoded.slice(0, colon) === apiKey && decoded.slice(colon + 1) === apiSecret;
}
