import { ArgumentsHost, Catch, HttpException, HttpServer, Logger, Optional } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { OtpVerifyOutcomeUnknownError, ThaiBulkSmsError } from '../errors';
import { mayHaveTakenEffect } from '../errors/may-have-taken-effect';
import { httpAnswerFor } from './error-http-status';

/**
 * The message when the request may have reached ThaiBulkSMS and taken effect although no usable
 * answer came back (timeout, connection cut after sending, a 2xx answer we cannot read): the SMS
 * may have gone out, and resending blindly is how customers get it twice.
 */
export const MAY_HAVE_BEEN_SENT_MESSAGE =
  'The SMS provider did not confirm the request, but it may have arrived and taken effect (the SMS may have been sent); do not retry blindly.';

/**
 * Whether the answer must say the SMS may have been sent. An OTP verify whose outcome is unknown
 * has its own advice (request a new code): a verify sends no SMS.
 */
function maySaySent(error: ThaiBulkSmsError): boolean {
  return !(error instanceof OtpVerifyOutcomeUnknownError) && mayHaveTakenEffect(error);
}

/**
 * Turns the library's errors into HTTP answers `{ statusCode, error, message }` (the library README, "Errors") and
 * leaves everything else to Nest's BaseExceptionFilter, so the app's own HttpExceptions (a
 * ValidationPipe 400 with its `error: 'Bad Request'`) answer exactly as they would without it.
 *
 * Bind it with `{ provide: APP_FILTER, useClass: ThaiBulkSmsExceptionFilter }`, or
 * `app.useGlobalFilters(new ThaiBulkSmsExceptionFilter(app.getHttpAdapter()))`.
 */
@Catch()
export class ThaiBulkSmsExceptionFilter extends BaseExceptionFilter {
  private readonly log = new Logger('ThaiBulkSmsExceptionFilter');

  constructor(@Optional() applicationRef?: HttpServer) {
    super(applicationRef);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!(exception instanceof ThaiBulkSmsError) || host.getType() !== 'http') {
      return this.delegate(exception, host);
    }
    const answer = httpAnswerFor(exception);
    const { status } = answer;
    // Only for requests that asked for something to be done: a GET of ours never sends anything.
    const requestMethod = host.switchToHttp().getRequest<{ method?: unknown } | undefined>()?.method;
    const method = typeof requestMethod === 'string' ? requestMethod.toUpperCase() : '';
    const message =
      maySaySent(exception) && method !== 'GET' && method !== 'HEAD' ? MAY_HAVE_BEEN_SENT_MESSAGE : answer.message;
    const body = { statusCode: status, error: exception.errorName, message };
    if (exception.category === 'account') {
      // Loud for the operator (credentials, credit, IP allow-list), generic for the caller.
      this.log.error(
        `ThaiBulkSMS account/configuration problem: ${exception.errorName} - ${exception.description} (answered ${status})`,
      );
    } else if (exception.category === 'upstream') {
      this.log.warn(`ThaiBulkSMS upstream failure: ${exception.errorName} (answered ${status})`);
    }
    this.reply(host, body, status);
  }

  private delegate(exception: unknown, host: ArgumentsHost): void {
    if (this.adapter()) return super.catch(exception, host);
    // Constructed with `new` and no adapter: answer as Nest would, without its adapter.
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const body = typeof response === 'object' ? response : { statusCode: exception.getStatus(), message: response };
      return this.reply(host, body, exception.getStatus());
    }
    this.log.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    this.reply(host, { statusCode: 500, message: 'Internal server error' }, 500);
  }

  private adapter(): HttpServer | undefined {
    return this.applicationRef ?? this.httpAdapterHost?.httpAdapter;
  }

  private reply(host: ArgumentsHost, body: object, status: number): void {
    const response = host.switchToHttp().getResponse<unknown>();
    const adapter = this.adapter();
    if (adapter) {
      adapter.reply(response, body, status);
      return;
    }
    // Express and Fastify both: status/code, then json/send.
    const res = response as {
      status?: (s: number) => unknown;
      code?: (s: number) => unknown;
      json?: (b: unknown) => unknown;
      send: (b: unknown) => unknown;
    };
    if (typeof res.code === 'function') res.code(status);
    else res.status?.(status);
    if (typeof res.json === 'function') res.json(body);
    else res.send(body);
  }
}
