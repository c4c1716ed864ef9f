import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThaiBulkSmsError } from '@app/thai-bulk-sms';
import type { Response } from 'express';
import { ApiErrorBody, errorNameForStatus } from './api-error';
import { RedisUnavailableError } from '../redis/redis-unavailable.error';
import { bodyParserStatus } from './body-parser-errors';

/**
 * The app's global filter. Library errors go to the library's ThaiBulkSmsExceptionFilter (the
 * status policy of README "Errors": vendor name in `error`, account problems as 503 and logged);
 * everything else — Nest's HttpExceptions, body-parser failures, unexpected errors — gets the
 * same body shape here, and every 4xx carries an `error` name.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly library: ExceptionFilter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof ThaiBulkSmsError) {
      this.library.catch(exception, host);
      return;
    }
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    if (isHealthCheckResult(exception)) {
      // Terminus' own answer (GET /health down): keep its shape, which monitors understand.
      res.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const body = this.toBody(exception);
    if (exception instanceof RedisUnavailableError) {
      // Expected during a Redis outage (the ioredis client logs the connection errors themselves).
      this.logger.warn({
        msg: 'Redis unavailable; answered 503',
        operation: exception.operation,
        error: exception.cause instanceof Error ? exception.cause.name : typeof exception.cause,
      });
    } else if (body.statusCode >= 500) {
      this.logger.error(
        {
          msg: 'Unhandled error',
          error: exception instanceof Error ? exception.name : typeof exception,
          statusCode: body.statusCode,
        },
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null) {
        const r = response as Record<string, unknown>;
        const message = Array.isArray(r.message)
          ? r.message.join('; ')
          : typeof r.message === 'string'
            ? r.message
            : exception.message;
        // Our own ApiException already names its error (ERROR_MSISDN…); Nest's built-ins carry
        // a status phrase ("Bad Request") in `error`, which we replace by a stable name.
        const named =
          typeof r.error === 'string' && /^[A-Z][A-Z0-9_]+$/.test(r.error) ? r.error : errorNameForStatus(status);
        return { statusCode: status, error: named, message };
      }
      return { statusCode: status, error: errorNameForStatus(status), message: String(response) };
    }
    const bodyParser = bodyParserStatus(exception);
    if (bodyParser) return bodyParser;
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'INTERNAL_ERROR', message: 'Internal server error.' };
  }
}

/** @nestjs/terminus throws a 503 whose body is the health check result. */
function isHealthCheckResult(exception: unknown): exception is HttpException {
  if (!(exception instanceof HttpException) || exception.getStatus() !== (HttpStatus.SERVICE_UNAVAILABLE as number))
    return false;
  const r: unknown = exception.getResponse();
  if (typeof r !== 'object' || r === null) return false;
  const { status, details } = r as { status?: unknown; details?: unknown };
  return status === 'error' && typeof details === 'object';
}
