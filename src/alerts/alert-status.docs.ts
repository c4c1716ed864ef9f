import { applyDecorators } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { ApiErrorDto } from '../common/api-error';
import { ALERT_ID_EXAMPLE } from '../common/api-examples';
import { AlertStatusDto } from './alert-status.dto';

/**
 * Swagger of GET /alerts/{id}, the same whether queueing is on or off: a client reading the
 * document of either instance learns the route, and what it answers with the queue off.
 */
export const ApiAlertStatus = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Progress of a queued alert (QUEUE_ENABLED=true)',
      description:
        'state: queued, sending, completed, partially-failed or failed; chunk counts per state; accepted/rejected/creditsUsed so far; ' +
        'failures with the vendor error name. 404 once retention removed the alert (one day after success, seven after a failure). ' +
        'With QUEUE_ENABLED=false, POST /alerts answers the whole result at once and this route always answers 404 NOT_FOUND ' +
        '("Queueing is off …").',
    }),
    ApiParam({
      name: 'id',
      description: 'The id POST /alerts answered (also its Location header).',
      example: ALERT_ID_EXAMPLE,
    }),
    ApiOkResponse({ type: AlertStatusDto, description: 'The status (SmsSendStatus of nestjs-thaibulksms/queue).' }),
    ApiNotFoundResponse({
      type: ApiErrorDto,
      description: 'NOT_FOUND: unknown id, removed after its retention, or queueing is off (QUEUE_ENABLED=false).',
    }),
  );
