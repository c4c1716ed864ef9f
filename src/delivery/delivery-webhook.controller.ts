import { Body, Controller, Get, HttpCode, Inject, Logger, Param, Post, Put, Query } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  ApiExcludeEndpoint,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DeliveryReportReceiver, maskPhone } from '@app/thai-bulk-sms';
import { Public } from '../auth/public.decorator';
import { ApiErrorDto, ApiException } from '../common/api-error';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
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
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly events: EventEmitter2,
    private readonly clock: Clock,
    private readonly receiver: DeliveryReportReceiver,
  ) {
    const token = config.delivery.webhookToken;
    this.tokenDigest = token ? digest(token) : undefined;
  }

  @Get(':token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delivery report by GET (query string)',
    description: 'Called by ThaiBulkSMS, not by you. The path ends with DELIVERY_WEBHOOK_TOKEN.',
  })
  @ApiParam({ name: 'token', description: 'DELIVERY_WEBHOOK_TOKEN' })
  @ApiOkResponse({
    type: DeliveryReceivedDto,
    description: 'Received (also for an unknown status: nothing is emitted then).',
  })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'NOT_FOUND: the token is wrong, or the webhook is off.' })
  byGet(@Param('token') token: string, @Query() query: Payload): Promise<DeliveryReceivedDto> {
    return this.receive(token, query);
  }

  @Post(':token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delivery report by POST (form or JSON)',
    description: 'Called by ThaiBulkSMS, not by you.',
  })
  @ApiParam({ name: 'token', description: 'DELIVERY_WEBHOOK_TOKEN' })
  @ApiOkResponse({
    type: DeliveryReceivedDto,
    description: 'Received (also for an unknown status: nothing is emitted then).',
  })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'NOT_FOUND: the token is wrong, or the webhook is off.' })
  byPost(@Param('token') token: string, @Query() query: Payload, @Body() body: unknown): Promise<DeliveryReceivedDto> {
    return this.receive(token, { ...query, ...asObject(body) });
  }

  @Put(':token')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  byPut(@Param('token') token: string, @Query() query: Payload, @Body() body: unknown): Promise<DeliveryReceivedDto> {
    return this.receive(token, { ...query, ...asObject(body) });
  }

  private async receive(token: string, payload: Payload): Promise<DeliveryReceivedDto> {
    if (!this.tokenDigest || !timingSafeEqual(digest(token), this.tokenDigest)) {
      throw new ApiException(404, 'NOT_FOUND', 'Not found.');
    }
    // The library's receiver reads the field names seen in the wild, never throws, and tells its
    // observers (telemetry counts reports by status) before it resolves.
    const report = await this.receiver.receive(payload);
    if (report.status === 'other') {
      this.logger.warn({
        msg: 'Delivery report with an unrecognised status; nothing emitted',
        status: forLog(report.rawStatus),
        messageId: forLog(report.messageId),
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
            messageId: event.messageId,
            phone: maskPhone(event.phone),
            error: String(error),
          }),
        );
    });
    return { received: true };
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
/**
 * A report field goes to the log as the caller wrote it, so bounded, and with anything that could
 * be a phone number (8+ digits, spaces or dashes between them) masked: logs show phones masked only.
 */
const forLog = (value: unknown): string | undefined =>
  value === undefined || value === null
    ? undefined
    : (typeof value === 'string' ? value : JSON.stringify(value))
        .slice(0, 64)
        .replace(/\+?\d[\d -]{6,}\d/g, (digits) => maskPhone(digits));
const asObject = (body: unknown): Payload =>
  typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Payload) : {};
