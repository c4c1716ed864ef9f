import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { ApiErrorDto } from '../common/api-error';

/** Swagger: what a ledger read may answer besides 200 (the library's LedgerQueryError and LedgerUnavailableError). */
export const ApiLedgerErrors = () =>
  applyDecorators(
    ApiBadRequestResponse({
      type: ApiErrorDto,
      description:
        '`ERROR_MSISDN`: the phone is no Thai mobile number; `ERROR_QUERY_STRING`: a bad status, date, limit, grouping or cursor.',
    }),
    ApiServiceUnavailableResponse({
      type: ApiErrorDto,
      description:
        "`LEDGER_UNAVAILABLE`: the ledger's database does not answer (sends go on; their rows wait in memory).",
    }),
  );
