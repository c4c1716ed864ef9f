import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { ApiBodyLimit } from '../common/api-docs.decorators';
import { ApiErrorDto } from '../common/api-error';
import { DELIVERY_REPORT_EXAMPLES } from '../common/api-examples';
import { DeliveryReceivedDto, DeliveryReportBodyDto } from './delivery-webhook.dto';

/** Swagger of every webhook method: the token in the path, 200 { received } or 404. */
export const ApiWebhookAnswers = () =>
  applyDecorators(
    ApiParam({
      name: 'token',
      description:
        'DELIVERY_WEBHOOK_TOKEN, a secret, so it has no example here. In sandbox mode without DELIVERY_WEBHOOK_TOKEN, ' +
        'the token the app made up for this run: copy it from the "Webhook URL" of the start-up banner.',
    }),
    ApiOkResponse({
      type: DeliveryReceivedDto,
      description: 'Received (also for an unknown status: nothing is emitted then).',
    }),
    ApiNotFoundResponse({ type: ApiErrorDto, description: 'NOT_FOUND: the token is wrong, or the webhook is off.' }),
  );

/** Swagger of a report sent in the body (POST, PUT): JSON here; a form with the same fields works too. */
export const ApiDeliveryReportBody = () =>
  applyDecorators(
    ApiBody({
      type: DeliveryReportBodyDto,
      examples: DELIVERY_REPORT_EXAMPLES,
      description: 'JSON or application/x-www-form-urlencoded; the query string is read too.',
    }),
    ApiBodyLimit(),
  );
