import {
  BadRequestException,
  HttpStatus,
  ValidationError,
  ValidationPipe,
  ValidationPipeOptions,
} from '@nestjs/common';
import { validationErrorName, validationMessage } from './validation-error-name';

export interface ThaiBulkSmsValidationPipeOptions extends ValidationPipeOptions {
  /** Vendor error names for the fields of your own DTOs, e.g. `{ mobile: 'ERROR_MSISDN' }`. */
  readonly fieldErrorNames?: Readonly<Record<string, string>>;
}

/**
 * An `exceptionFactory` for Nest's ValidationPipe: a 400 whose body is the filter's
 * `{ statusCode: 400, error: <vendor name>, message }` instead of `error: 'Bad Request'` — so
 * 501 numbers answer ERROR_MSISDN_EXCEEDED_LIMIT and an empty message ERROR_MESSAGE, as SmsService
 * would. It is an HttpException, so it answers the same with or without ThaiBulkSmsExceptionFilter.
 */
export function thaiBulkSmsValidationExceptionFactory(
  errors: ValidationError[],
  fieldErrorNames?: Readonly<Record<string, string>>,
): BadRequestException {
  const body = {
    statusCode: HttpStatus.BAD_REQUEST,
    error: validationErrorName(errors, fieldErrorNames),
    message: validationMessage(errors),
  };
  return new BadRequestException(body);
}

/**
 * ValidationPipe with the library's vendor-named 400s and strict defaults: unknown properties are
 * refused (ERROR_FORM, as the vendor refuses a bad form), bodies are transformed into the DTO
 * class, and the failing values are not kept on the errors (nothing of the request in a log).
 * Every option of ValidationPipe can be given and wins over these defaults.
 */
export class ThaiBulkSmsValidationPipe extends ValidationPipe {
  constructor(options: ThaiBulkSmsValidationPipeOptions = {}) {
    const { fieldErrorNames, ...pipeOptions } = options;
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors: ValidationError[]) =>
        pipeOptions.disableErrorMessages
          ? new BadRequestException({
              statusCode: HttpStatus.BAD_REQUEST,
              error: validationErrorName(errors, fieldErrorNames),
              message: 'The request is invalid.',
            })
          : thaiBulkSmsValidationExceptionFactory(errors, fieldErrorNames),
      ...pipeOptions,
    });
  }
}
