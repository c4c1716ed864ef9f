import { Body, Controller, Get, HttpCode, Logger, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SmsQueue } from '@app/thai-bulk-sms/queue';
import type { Response } from 'express';
import { ApiErrorDto, ApiException } from '../common/api-error';
import { ApiJsonBody, ApiKeyProtected, ApiVendorErrors } from '../common/api-docs.decorators';
import { QUEUED_ALERT_EXAMPLES } from '../common/api-examples';
import { ApiAlertStatus } from './alert-status.docs';
import { DeliveryUrlService } from '../delivery/delivery-url.service';
import { AlertStatusDto } from './alert-status.dto';
import { QueuedAlertDto, QueuedAlertResponseDto } from './queued-alert.dto';

/**
 * /alerts with QUEUE_ENABLED=true: POST queues the alert in Redis (202 with its id), a worker in
 * any instance sends it within the account-wide rate limit, GET /alerts/:id reports progress.
 */
@ApiTags('alerts')
@ApiKeyProtected()
@Controller('alerts')
export class QueuedAlertsController {
  private readonly logger = new Logger('AlertsController');

  constructor(
    private readonly queue: SmsQueue,
    private readonly deliveryUrl: DeliveryUrlService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queue one text to any number of recipients',
    description:
      'Validated now (invalid numbers come back in `rejected`, a body with no valid number is a 400 ERROR_MSISDN), then queued in ' +
      'Redis in chunks of 500 and sent in the background within the account-wide rate limit. At-least-once: a worker that ' +
      'dies mid-send can cause a chunk to be sent twice. Poll GET /alerts/{id}.',
  })
  @ApiAcceptedResponse({
    type: QueuedAlertResponseDto,
    headers: { Location: { description: '/alerts/{id}', schema: { type: 'string' } } },
  })
  @ApiConflictResponse({
    type: ApiErrorDto,
    description: 'CONFLICT: the dedupeKey already names a different alert (other text, options or recipients).',
  })
  @ApiJsonBody(QueuedAlertDto, QUEUED_ALERT_EXAMPLES)
  @ApiVendorErrors()
  async send(@Body() dto: QueuedAlertDto, @Res({ passthrough: true }) res: Response): Promise<QueuedAlertResponseDto> {
    const { dedupeKey, ...send } = QueuedAlertDto.toSendOptions(dto) as ReturnType<
      typeof QueuedAlertDto.toSendOptions
    > &
      Pick<QueuedAlertDto, 'dedupeKey'>;
    const callbackUrl = send.callbackUrl ?? this.deliveryUrl.defaultCallbackUrl();
    // A dedupe key that names another send is SmsQueueDedupeConflictError: 409 CONFLICT through the library's filter.
    const result = await this.queue.enqueue(
      { ...send, ...(callbackUrl !== undefined && { callbackUrl, callbackMethod: send.callbackMethod ?? 'POST' }) },
      dedupeKey !== undefined ? { dedupeKey } : {},
    );
    res.location(`/alerts/${encodeURIComponent(result.id)}`);
    this.logger.log({
      msg: result.duplicate ? 'Alert already queued' : 'Alert queued',
      id: result.id,
      chunks: result.chunks,
      recipients: result.recipients,
      rejected: result.rejected.length,
    });
    return {
      id: result.id,
      chunks: result.chunks,
      recipients: result.recipients,
      rejected: result.rejected.map((r) => ({ phone: r.phone, reason: r.reason })),
      duplicate: result.duplicate,
    };
  }

  @Get(':id')
  @ApiAlertStatus()
  async status(@Param('id') id: string): Promise<AlertStatusDto> {
    const status = await this.queue.getStatus(id);
    if (!status)
      throw new ApiException(404, 'NOT_FOUND', 'No alert with this id (unknown, or removed after its retention).');
    return status;
  }
}
