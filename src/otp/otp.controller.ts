import { Body, Controller, HttpCode, Logger, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { OtpService, OtpTokenExpiredError, OtpVerifyOutcomeUnknownError } from '@app/thai-bulk-sms';
import { maskPhone } from '@app/thai-bulk-sms/helpers';
import { ApiErrorDto } from '../common/api-error';
import { ApiJsonBody, ApiKeyProtected, ApiThrottled, ApiVendorErrors } from '../common/api-docs.decorators';
import { OTP_REQUEST_EXAMPLES, OTP_VERIFY_EXAMPLES } from '../common/api-examples';
import { OtpIpThrottlerGuard, OtpPhoneThrottlerGuard } from './otp-throttler.guards';
import { OTP_THROTTLERS } from './otp-throttling';
import { OtpTokenRegistry } from './otp-token-registry';
import { RequestOtpDto, RequestOtpResponseDto, VerifyOtpDto, VerifyOtpResponseDto } from './otp.dto';
import { RefundUnsentOtpInterceptor } from './refund-unsent-otp.interceptor';

@ApiTags('otp')
@ApiKeyProtected()
@ApiThrottled()
// The IP limits first; the phone limits (route guard, below) only for requests that pass them.
@UseGuards(OtpIpThrottlerGuard)
@Controller('otp')
export class OtpController {
  private readonly logger = new Logger(OtpController.name);

  constructor(
    private readonly otp: OtpService,
    private readonly tokens: OtpTokenRegistry,
  ) {}

  @Post('request')
  @HttpCode(201)
  @SkipThrottle({ [OTP_THROTTLERS.verifyIp]: true })
  @UseGuards(OtpPhoneThrottlerGuard)
  @UseInterceptors(RefundUnsentOtpInterceptor)
  @ApiOperation({
    summary: 'Send a one-time PIN to a Thai mobile number',
    description:
      'Limited per client IP, then per phone (cooldown and daily cap); a call refused by the IP limit or by validation, or whose ' +
      'OTP provably never reached ThaiBulkSMS (connection refused), does not count against the phone. Every throttled call gets ' +
      'the same 429 with the same Retry-After (OTP_PHONE_COOLDOWN_SECONDS), whichever limit tripped.',
  })
  @ApiCreatedResponse({ type: RequestOtpResponseDto })
  @ApiJsonBody(RequestOtpDto, OTP_REQUEST_EXAMPLES)
  @ApiVendorErrors()
  async request(@Body() dto: RequestOtpDto): Promise<RequestOtpResponseDto> {
    const result = await this.otp.request(dto.phone);
    await this.tokens.issued(result.token);
    this.logger.log({ msg: 'OTP requested', phone: maskPhone(dto.phone), refno: result.refno });
    return { token: result.token, refno: result.refno };
  }

  @Post('verify')
  @HttpCode(200)
  @SkipThrottle({ [OTP_THROTTLERS.ip]: true })
  @ApiOperation({
    summary: 'Check the PIN the user typed',
    description:
      'At most OTP_VERIFY_MAX_ATTEMPTS (5) attempts per token; after that the token is dead, even with the right PIN. ' +
      'Unknown, expired, used and dead tokens all answer 400 OTP_TOKEN_EXPIRED; a wrong PIN answers 400 OTP_CODE_INVALID.',
  })
  @ApiOkResponse({ type: VerifyOtpResponseDto })
  @ApiJsonBody(VerifyOtpDto, OTP_VERIFY_EXAMPLES)
  @ApiBadRequestResponse({
    type: ApiErrorDto,
    description: 'OTP_CODE_INVALID (wrong PIN) or OTP_TOKEN_EXPIRED (unknown, expired, used or out of attempts).',
  })
  @ApiBadGatewayResponse({
    type: ApiErrorDto,
    description:
      'OTP_VERIFY_OUTCOME_UNKNOWN: a verify attempt failed after it may have used the token up; the token is retired, request a new code.',
  })
  async verify(@Body() dto: VerifyOtpDto): Promise<VerifyOtpResponseDto> {
    if (!(await this.tokens.tryAttempt(dto.token))) throw new OtpTokenExpiredError();
    try {
      const result = await this.otp.verify(dto.token, dto.pin);
      await this.tokens.retire(dto.token);
      return { verified: true, message: result.message };
    } catch (error) {
      // Both mean the vendor holds the token as used (or may): asking again can only fail.
      if (error instanceof OtpTokenExpiredError || error instanceof OtpVerifyOutcomeUnknownError)
        await this.tokens.retire(dto.token);
      throw error;
    }
  }
}
