import { Body, Controller, Get, HttpCode, Logger, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SmsService } from '@app/thai-bulk-sms';
import { ApiException } from '../common/api-error';
import { ApiJsonBody, ApiKeyProtected, ApiVendorErrors } from '../common/api-docs.decorators';
import { ALERT_EXAMPLES } from '../common/api-examples';
import { ApiAlertStatus } from './alert-status.docs';
import { DeliveryUrlService } from '../delivery/delivery-url.service';
import { AlertsResponseDto } from '../sms/dto/send-sms-response.dto';
import { toAlertsResponse } from '../sms/sms-response.mapper';
import { SendAlertDto } from './alert.dto';

@ApiTags('alerts')
@ApiKeyProtected()
@Controller('alerts')
export class AlertsController {
  private readonly logger = new Logger(AlertsController.name);

  constructor(
    private readonly sms: SmsService,
    private readonly deliveryUrl: DeliveryUrlService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Send one text to any number of recipients',
    description:
      'Sent in chunks of 500 (the vendor limit) within the client rate limit; the results are merged. A chunk that fails ' +
      'is reported in `failedChunks` with its recipients and is not retried, since it may have reached the API. ' +
      'When every chunk fails and no number was accepted, the first failure is answered as an error. No valid number: 400 ERROR_MSISDN.',
  })
  @ApiCreatedResponse({ type: AlertsResponseDto })
  @ApiJsonBody(SendAlertDto, ALERT_EXAMPLES)
  @ApiVendorErrors()
  async send(@Body() dto: SendAlertDto): Promise<AlertsResponseDto> {
    const callbackUrl = dto.callbackUrl ?? this.deliveryUrl.defaultCallbackUrl();
    const result = await this.sms.sendBulk({
      ...SendAlertDto.toSendOptions(dto),
      ...(callbackUrl !== undefined && { callbackUrl, callbackMethod: dto.callbackMethod ?? 'POST' }),
    });
    // Every chunk failed and none of it was accepted (a chunk whose answer confirmed only some of
    // its numbers fails for the rest): answered as the first failure.
    if (result.chunks > 0 && result.failedChunks.length === result.chunks && result.acceptedCount === 0)
      throw result.failedChunks[0].error;
    const log = {
      msg: 'Alert sent',
      recipients: dto.to.length,
      chunks: result.chunks,
      failedChunks: result.failedChunks.length,
      accepted: result.acceptedCount,
      rejected: result.rejectedCount,
    };
    if (result.failedChunks.length > 0) {
      this.logger.warn({ ...log, failures: result.failedChunks.map((c) => ({ index: c.index, error: c.errorName })) });
    } else {
      this.logger.log(log);
    }
    return toAlertsResponse(result);
  }

  /**
   * Registered, and documented as with the queue on, so a client written for QUEUE_ENABLED=true
   * learns why there is nothing to poll instead of meeting an undocumented 404.
   */
  @Get(':id')
  @ApiAlertStatus()
  status(): never {
    throw new ApiException(
      404,
      'NOT_FOUND',
      'Queueing is off (QUEUE_ENABLED=false): POST /alerts sends synchronously and answers the result, so there is no alert status to query.',
    );
  }
}
