import { describeError } from '../errors/error-catalogue';
import { SANDBOX_TOO_MANY_REQUESTS } from './sandbox.constants';

/** A computed answer, kept apart from writing it so faults can deliver it badly. */
export interface SandboxResponse {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  /** The vendor error name (or OTP message) when this is an error answer, for the request log. */
  readonly errorName?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(status: number, value: unknown): SandboxResponse {
  return { status, body: JSON.stringify(value), contentType: JSON_TYPE };
}

/** The vendor's error envelope, with the catalogue's status and description. */
export function vendorErrorResponse(name: string, status?: number): SandboxResponse {
  if (name === SANDBOX_TOO_MANY_REQUESTS.name) return tooManyRequestsResponse();
  const entry = describeError(name, status);
  const error: Record<string, unknown> = { code: entry.code ?? entry.status, name, description: entry.description };
  return { ...jsonResponse(status ?? entry.status, { error }), errorName: name };
}

export function otpErrorResponse(message: string, status = 400): SandboxResponse {
  return { ...jsonResponse(status, { code: status, errors: [{ message, detail: [] }] }), errorName: message };
}

export function tooManyRequestsResponse(): SandboxResponse {
  const { status, code, name, description } = SANDBOX_TOO_MANY_REQUESTS;
  return { ...jsonResponse(status, { error: { code, name, description } }), errorName: name };
}

export const HTML_502_BODY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export function html502Response(): SandboxResponse {
  return { status: 502, body: HTML_502_BODY, contentType: 'text/html', errorName: '502 Bad Gateway' };
}

/** The answer cut short: a JSON parser must fail on it. */
export function malformedJsonResponse(original: SandboxResponse | undefined): SandboxResponse {
  const source = original?.body ?? '{"remaining_credit":{"standard":10000,"corporate":10000}}';
  const cut = source.slice(0, Math.max(1, Math.floor(source.length / 2)));
  return { status: original?.status ?? 200, body: `${cut}<!-- truncated`, contentType: JSON_TYPE };
}
