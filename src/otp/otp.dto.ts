import { ApiProperty } from '@nestjs/swagger';
import { RequestOtpDto as LibraryRequestOtpDto, VerifyOtpDto as LibraryVerifyOtpDto } from '@app/thai-bulk-sms';
import { OTP_TOKEN_EXAMPLE } from '../common/api-examples';

/** POST /otp/request: the library's DTO (IsThaiMobile), documented. */
export class RequestOtpDto extends LibraryRequestOtpDto {
  @ApiProperty({
    example: '0812345678',
    description:
      'A Thai mobile number (0812345678, 66812345678 or +66812345678); nothing else is accepted (400 ERROR_MSISDN).',
  })
  declare phone: string;
}

export class RequestOtpResponseDto {
  @ApiProperty({ example: OTP_TOKEN_EXAMPLE, description: 'Pass it to /otp/verify with the PIN the user received.' })
  readonly token!: string;

  @ApiProperty({ example: 'DJKEV', description: 'Reference printed in the SMS, for the user to match.' })
  readonly refno!: string;
}

/** POST /otp/verify: the library's DTO, documented. */
export class VerifyOtpDto extends LibraryVerifyOtpDto {
  @ApiProperty({
    example: OTP_TOKEN_EXAMPLE,
    maxLength: 200,
    description: 'The token /otp/request answered (24 letters and digits from the vendor).',
  })
  declare token: string;

  @ApiProperty({
    example: '123456',
    pattern: '^\\d{4,8}$',
    description:
      'The digits the user typed (in sandbox mode: the PIN in the inbox, or GET /__sandbox/otps of the sandbox).',
  })
  declare pin: string;
}

export class VerifyOtpResponseDto {
  @ApiProperty({ example: true })
  readonly verified!: true;

  @ApiProperty({ example: 'Code is correct.' })
  readonly message!: string;
}
