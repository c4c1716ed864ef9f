import { Body, Controller, HttpCode, Logger, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SmsService } from '@app/thai-bulk-sms';
import { maskPhone } from '@app/thai-bulk-sms/helpers';
import { ApiJsonBody, ApiKeyProtected, ApiVendorErrors } from '../common/api-docs.decorators';
import { SMS_EXAMPLES } from '../common/api-examples';
import { DeliveryUrlService } from '../delivery/delivery-url.service';
import { SendSmsDto } from './dto/send-sms.dto';
import { SendSmsResponseDto } from './dto/send-sms-response.dto';
import { toSendSmsResponse } from './sms-response.mapper';

@ApiTags('sms')
@ApiKeyProtected()
@Controller('sms')
export class SmsController {
  private readonly logger = new Logger(SmsController.name);

  constructor(
    private readonly sms: SmsService,
    private readonly deliveryUrl: DeliveryUrlService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Send one SMS to up to 500 numbers',
    description: 'Never retried blindly: a send that may have reached the API is not repeated.',
  })
  @ApiCreatedResponse({
    type: SendSmsResponseDto,
    description: "Each accepted number's message id, the rejected numbers, the credits.",
  })
  @ApiJsonBody(SendSmsDto, SMS_EXAMPLES)
  @ApiVendorErrors()
  async send(@Body() dto: SendSmsDto): Promise<SendSmsResponseDto> {
    const callbackUrl = dto.callbackUrl ?? this.deliveryUrl.defaultCallbackUrl();
    const result = await this.sms.send({
      ...SendSmsDto.toSendOptions(dto),
      ...(callbackUrl !== undefined && { callbackUrl, callbackMethod: dto.callbackMethod ?? 'POST' }),
    });
    this.logger.log({
      msg: 'SMS sent',
      accepted: result.accepted.length,
      rejected: result.rejected.length,
      creditsUsed: result.creditsUsed,
      to: result.accepted.slice(0, 5).map((a) => maskPhone(a.phone)),
    });
    return toSendSmsResponse(result);
  }
}
