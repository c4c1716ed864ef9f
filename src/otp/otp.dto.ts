import { ApiProperty } from '@nestjs/swagger';
import { RequestOtpDto as LibraryRequestOtpDto, VerifyOtpDto as LibraryVerifyOtpDto } from '@app/thai-bulk-sms';

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
  @ApiProperty({ example: 'Qp3L2v1A', description: 'Pass it to /otp/verify with the PIN the user received.' })
  readonly token!: string;

  @ApiProperty({ example: 'T3A57', description: 'Reference printed in the SMS, for the user to match.' })
  readonly refno!: string;
}

/** POST /otp/verify: the library's DTO, documented. */
export class VerifyOtpDto extends LibraryVerifyOtpDto {
  @ApiProperty({ example: 'Qp3L2v1A', maxLength: 200 })
  declare token: string;

  @ApiProperty({ example: '093892', pattern: '^\\d{4,8}$', description: 'The digits the user typed.' })
  declare pin: string;
}

export class VerifyOtpResponseDto {
  @ApiProperty({ example: true })
  readonly verified!: true;

  @ApiProperty({ example: 'Code is correct.' })
  readonly message!: string;
}
