import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiPayloadTooLargeResponse,
  ApiResponse,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ExamplesObject,
} from '@nestjs/swagger';
import { ApiErrorDto } from './api-error';

export const API_KEY_SECURITY = 'api-key';

/** Swagger: the route needs x-api-key (401 otherwise). */
export const ApiKeyProtected = () =>
  applyDecorators(
    ApiSecurity(API_KEY_SECURITY),
    ApiUnauthorizedResponse({
      type: ApiErrorDto,
      description: 'Missing or wrong x-api-key (`UNAUTHORIZED`). Nothing was sent.',
    }),
  );

/** Swagger: the statuses a route that calls ThaiBulkSMS may answer (the status policy of README, "Errors"). */
export const ApiVendorErrors = () =>
  applyDecorators(
    ApiResponse({
      status: 400,
      type: ApiErrorDto,
      description: "The caller's mistake; `error` is the vendor's name (ERROR_MSISDN, ERROR_MESSAGE…).",
    }),
    ApiResponse({
      status: 502,
      type: ApiErrorDto,
      description: 'ThaiBulkSMS failed, or our account is misconfigured (logged for the operator).',
    }),
    ApiResponse({
      status: 503,
      type: ApiErrorDto,
      description:
        'Our account cannot send now (credit exhausted, key suspended…), or ThaiBulkSMS is over its rate limit (its 429).',
    }),
    ApiResponse({ status: 504, type: ApiErrorDto, description: 'ThaiBulkSMS did not answer in time.' }),
  );

export const ApiThrottled = () =>
  applyDecorators(
    ApiTooManyRequestsResponse({
      type: ApiErrorDto,
      description: 'Throttled (`TOO_MANY_REQUESTS`), with Retry-After in seconds.',
    }),
  );

/**
 * Swagger: a JSON body (`type`, with the examples "Try it out" starts from; each must succeed in
 * sandbox mode) and the 413 every body route may answer.
 */
export const ApiJsonBody = (type: abstract new (...args: never[]) => object, examples: ExamplesObject) =>
  applyDecorators(ApiBody({ type, examples }), ApiBodyLimit());

/** Swagger: the 413 of a body over BODY_LIMIT_BYTES (our body parser answers it before the route runs). */
export const ApiBodyLimit = () =>
  ApiPayloadTooLargeResponse({
    type: ApiErrorDto,
    description: 'PAYLOAD_TOO_LARGE: the body is larger than BODY_LIMIT_BYTES (100 kB by default). Nothing was sent.',
  });
