import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { IsThaiMobile } from '../phone';

/** Body of an OTP request. Plain class-validator: the app may extend it with Swagger decorators. */
export class RequestOtpDto {
  @IsThaiMobile()
  phone!: string;
}

export class VerifyOtpDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;

  @IsString()
  @Matches(/^\d{4,8}$/, { message: 'pin must be 4 to 8 digits' })
  pin!: string;
}
