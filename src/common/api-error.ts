import { HttpException } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** The app's one error body (README, "Errors"). */
export interface ApiErrorBody {
  readonly statusCode: number;
  /** The vendor's error name when one applies (`ERROR_MSISDN`), else ours (`UNAUTHORIZED`). */
  readonly error: string;
  readonly message: string;
}

/** Swagger model of the error body. */
export class ApiErrorDto implements ApiErrorBody {
  @ApiProperty({ example: 400 })
  readonly statusCode!: number;

  @ApiProperty({
    example: 'ERROR_MSISDN',
    description: "The vendor's error name when one applies, else ours (UNAUTHORIZED, TOO_MANY_REQUESTS…).",
  })
  readonly error!: string;

  @ApiProperty({ example: 'to must be a Thai mobile number (0812345678, 66812345678 or +66812345678)' })
  readonly message!: string;
}

/** An HttpException whose body is already in the app's shape, with a chosen `error` name. */
export class ApiException extends HttpException {
  constructor(status: number, error: string, message: string) {
    super({ statusCode: status, error, message } satisfies ApiErrorBody, status);
  }
}

/** Our names for statuses that have no vendor name. */
export const STATUS_ERROR_NAMES: Readonly<Record<number, string>> = {
  400: 'ERROR_FORM',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'ERROR_FORM',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

export function errorNameForStatus(status: number): string {
  return STATUS_ERROR_NAMES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR_FORM');
}
