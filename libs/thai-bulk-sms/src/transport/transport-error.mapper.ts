import { MAX_RESPONSE_BODY_BYTES } from '../thai-bulk-sms.constants';
import {
  ThaiBulkSmsAbortedError,
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsResponseTooLargeError,
  ThaiBulkSmsTimeoutError,
} from '../errors';

/** Failures where the request provably never reached the API, so even a send may be repeated. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * undici's names for socket failures, as Node's: `networkCode` reads the same whichever transport
 * is chosen. A socket closed under a request is Node's "socket hang up" (ECONNRESET).
 */
const NODE_CODES: Readonly<Record<string, string>> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
};

/**
 * A copy of a low-level error that keeps only its name, code and message. An AxiosError holds
 * the request config (the Authorization header, the OTP secret in the body): it must never ride
 * along as a `cause` into a log or a JSON answer.
 */
export function sanitizedCause(error: unknown): Error {
  const source = error as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  const code = typeof source?.code === 'string' ? source.code : undefined;
  const message = typeof source?.message === 'string' ? source.message : 'Request failed';
  const safe = new Error(code && !message.includes(code) ? `${code}: ${message}` : message);
  safe.name = typeof source?.name === 'string' ? source.name : 'Error';
  if (code) (safe as Error & { code?: string }).code = code;
  // The stack of the original points into the HTTP library; ours would only point here.
  safe.stack = `${safe.name}: ${safe.message}`;
  return safe;
}

export type AbortReason = 'timeout' | 'caller' | undefined;

/** What axios rejects with when a body passes `maxContentLength` (its message, stable across versions). */
const AXIOS_TOO_LARGE = /^maxContentLength size of \d+ exceeded$/;

/** Maps what an HTTP library threw to the library's typed errors. */
export function transportError(
  error: unknown,
  abortedBy: AbortReason,
  timeoutMs: number,
  maxBodyBytes = MAX_RESPONSE_BODY_BYTES,
): Error {
  const cause = sanitizedCause(error);
  if (abortedBy === 'caller') return new ThaiBulkSmsAbortedError(cause);
  if (abortedBy === 'timeout') return new ThaiBulkSmsTimeoutError(timeoutMs, cause);
  const message = (error as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && AXIOS_TOO_LARGE.test(message))
    return new ThaiBulkSmsResponseTooLargeError(maxBodyBytes, cause);
  const code = findCode(error);
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return new ThaiBulkSmsTimeoutError(timeoutMs, cause);
  return new ThaiBulkSmsNetworkError({
    networkCode: code,
    requestMayHaveArrived: !(code && NEVER_SENT.has(code)),
    cause,
  });
}

function findCode(error: unknown): string | undefined {
  let current: unknown = error;
  // Node's happy-eyeballs connect wraps the socket errors; look one level into `cause`/`errors`.
  for (let depth = 0; depth < 3 && current; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof candidate.code === 'string' && candidate.code !== 'ERR_BAD_RESPONSE') {
      return NODE_CODES[candidate.code] ?? candidate.code;
    }
    current = candidate.cause ?? candidate.errors?.[0];
  }
  return undefined;
}
