import { applyDecorators } from '@nestjs/common';
import { ApiResponse, ApiSecurity, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
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
      description: 'Our account cannot send now (credit exhausted, key suspended…).',
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
