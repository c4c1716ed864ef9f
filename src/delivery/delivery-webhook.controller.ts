import { Body, Controller, Get, HttpCode, Inject, Logger, Param, Post, Put, Query } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DeliveryReport, DeliveryReportReceiver, ThaiBulkSmsClock } from '@app/thai-bulk-sms';
import { logSafeText, maskPhone } from '@app/thai-bulk-sms/helpers';
import { Public } from '../auth/public.decorator';
import { ApiException } from '../common/api-error';
import { ApiDeliveryReportBody, ApiWebhookAnswers } from './delivery-webhook.docs';
import { deliveryConfig, DeliveryConfig } from '../config/namespaces/delivery.config';
import { DELIVERY_WEBHOOK_PATH } from './delivery-url.service';
import { DeliveryReceivedDto } from './delivery-webhook.dto';
import { DELIVERY_EVENTS, SmsDeliveryEvent } from './delivery.events';

type Payload = Record<string, unknown>;

/**
 * The delivery-report webhook. The vendor cannot send our x-api-key, so the secret is the last
 * path segment (DELIVERY_WEBHOOK_TOKEN). Answers 200 at once and emits the events afterwards; an
 * unknown field or status never fails the call, or the vendor would keep retrying.
 */
@ApiTags('delivery')
@Public()
@Controller(DELIVERY_WEBHOOK_PATH)
export class DeliveryWebhookController {
  private readonly logger = new Logger('DeliveryWebhook');
  private readonly tokenDigest?: Buffer;

  constructor(
    @Inject(deliveryConfig.KEY) delivery: DeliveryConfig,
    private readonly events: EventEmitter2,
    private readonly clock: ThaiBulkSmsClock,
    private readonly receiver: DeliveryReportReceiver,
  ) {
    const token = delivery.webhookToken;
    this.tokenDigest = token ? digest(token) : undefined;
  }

  @Get(':token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delivery report by GET (query string)',
    description: 'Called by ThaiBulkSMS, not by you. The path ends with DELIVERY_WEBHOOK_TOKEN.',
  })
  @ApiWebhookAnswers()
  @ApiQuery({ name: 'message_id', required: false, example: 'rmWK3GbWDT5pFkzEJ5Cz8m' })
  @ApiQuery({ name: 'msisdn', required: false, example: '66812345678' })
  @ApiQuery({
    name: 'status',
    required: false,
    example: 'delivered',
    description: 'delivered or failed (other words are logged and ignored).',
  })
  byGet(@Param('token') token: string, @Query() query: Payload): Promise<DeliveryReceivedDto> {
    return this.receive(token, query);
  }

  @Post(':token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delivery report by POST (form or JSON)',
    description: 'Called by ThaiBulkSMS, not by you.',
  })
  @ApiWebhookAnswers()
  @ApiDeliveryReportBody()
  byPost(@Param('token') token: string, @Query() query: Payload, @Body() body: unknown): Promise<DeliveryReceivedDto> {
    return this.receive(token, { ...query, ...asObject(body) });
  }

  @Put(':token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delivery report by PUT (form or JSON)',
    description: 'Called by ThaiBulkSMS, not by you, when the send asked for callbackMethod PUT.',
  })
  @ApiWebhookAnswers()
  @ApiDeliveryReportBody()
  byPut(@Param('token') token: string, @Query() query: Payload, @Body() body: unknown): Promise<DeliveryReceivedDto> {
    return this.receive(token, { ...query, ...asObject(body) });
  }

  private async receive(token: string, payload: Payload): Promise<DeliveryReceivedDto> {
    if (!this.tokenDigest || !timingSafeEqual(digest(token), this.tokenDigest)) {
      throw new ApiException(404, 'NOT_FOUND', 'Not found.');
    }
    // The library's receiver reads the field names seen in the wild, never throws, and tells its
    // observers (telemetry counts reports by status) before it resolves; a report must never fail
    // the call (the vendor would retry it for ever), so that promise is kept here too.
    let report: DeliveryReport;
    try {
      report = await this.receiver.receive(payload);
    } catch (error) {
      this.logger.warn({
        msg: 'Unreadable delivery report; nothing emitted',
        error: error instanceof Error ? error.name : typeof error,
      });
      return { received: true };
    }
    if (report.status === 'other') {
      this.logger.warn({
        msg: 'Delivery report with an unrecognised status; nothing emitted',
        status: logSafeText(report.rawStatus),
        messageId: logSafeText(report.messageId),
      });
      return { received: true };
    }
    const event: SmsDeliveryEvent = { ...report, status: report.status, receivedAt: this.clock.now() };
    // After the answer: listeners' work never delays the vendor's call.
    setImmediate(() => {
      this.events
        .emitAsync(event.status === 'delivered' ? DELIVERY_EVENTS.delivered : DELIVERY_EVENTS.failed, event)
        .catch((error: unknown) =>
          this.logger.error({
            msg: 'Delivery listener failed',
            messageId: logSafeText(event.messageId),
            phone: maskPhone(event.phone),
            error: error instanceof Error ? error.name : typeof error,
          }),
        );
    });
    return { received: true };
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
const asObject = (body: unknown): Payload =>
  typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Payload) : {};
