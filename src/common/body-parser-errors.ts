import type { ErrorRequestHandler } from 'express';
import { ApiErrorBody, ApiException, errorNameForStatus } from './api-error';

/**
 * The app's answer to a body the parsers could not read. Stable messages of ours: the parser's
 * own ("Unexpected end of JSON input", "Expected double-quoted property name in JSON at position
 * 20") change between Node versions and describe our internals, not the caller's mistake.
 */
export function bodyParserStatus(exception: unknown): ApiErrorBody | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const e = exception as { type?: unknown; status?: unknown };
  if (typeof e.type !== 'string' || typeof e.status !== 'number') return undefined;
  switch (e.type) {
    case 'entity.too.large':
      return { statusCode: 413, error: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' };
    case 'entity.parse.failed':
      return { statusCode: 400, error: 'ERROR_FORM', message: 'The request body is not valid JSON.' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { statusCode: 415, error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported body encoding or charset.' };
    default:
      return e.status >= 400 && e.status < 500
        ? { statusCode: e.status, error: errorNameForStatus(e.status), message: 'The request body could not be read.' }
        : undefined;
  }
}

/**
 * Express error middleware, mounted right after the body parsers. Needed because Nest turns a
 * parser's SyntaxError into `new BadRequestException(err.message)` before any filter sees it, so
 * the filter could no longer tell malformed JSON from any other 400 (and would echo the parser's
 * message). Here the error still carries body-parser's `type`.
 */
export const bodyParserErrorHandler: ErrorRequestHandler = (error, _req, _res, next) => {
  const body = bodyParserStatus(error);
  next(body ? new ApiException(body.statusCode, body.error, body.message) : error);
};
