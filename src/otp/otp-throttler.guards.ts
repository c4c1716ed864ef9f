import { ExecutionContext, Injectable, ValidationPipe } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { ApiException } from '../common/api-error';
import { createValidationPipe } from '../common/validation';
import { OTP_THROTTLED_MESSAGE, OTP_THROTTLERS, OtpThrottlerName } from './otp-throttling';
import { RequestOtpDto } from './otp.dto';

/**
 * The OTP routes' throttling, split in guards so the order is ours (Nest runs controller guards,
 * then route guards, each in the order listed):
 *
 * 1. `OtpIpThrottlerGuard` (controller): the per-IP limits.
 * 2. `OtpPhoneThrottlerGuard` (POST /otp/request only): the per-phone cooldown and daily cap.
 *
 * A request refused by the IP limit or by validation never reaches the phone counters. Otherwise
 * an attacker whose own IP is blocked could still arm a victim's cooldown with one request a
 * minute, and lock that phone out for good.
 *
 * Whichever limit trips, the caller gets the same 429 body with a plain `Retry-After`, so it
 * learns nothing about which numbers were seen before.
 */
abstract class OtpThrottlerGuard extends ThrottlerGuard {
  /** The named throttlers this guard applies, in this order. */
  protected abstract readonly throttlerNames: readonly OtpThrottlerName[];

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    const byName = new Map(this.throttlers.map((t) => [t.name, t]));
    this.throttlers = this.throttlerNames.map((name) => {
      const throttler = byName.get(name);
      if (!throttler)
        throw new Error(`${this.constructor.name}: no throttler named "${name}" in the ThrottlerModule options.`);
      return throttler;
    });
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    throw new ApiException(429, 'TOO_MANY_REQUESTS', OTP_THROTTLED_MESSAGE);
  }
}

/** Per client IP: `otp-ip` for requests, `otp-verify-ip` for verifications (each route skips the other). */
@Injectable()
export class OtpIpThrottlerGuard extends OtpThrottlerGuard {
  protected readonly throttlerNames = [OTP_THROTTLERS.ip, OTP_THROTTLERS.verifyIp] as const;
}

/**
 * Per phone, for POST /otp/request. Guards run before pipes, so this one validates the body
 * itself (with the app's ValidationPipe, the same 400 the route would answer) before it counts
 * the phone: a body the route would refuse never arms that phone's cooldown.
 */
@Injectable()
export class OtpPhoneThrottlerGuard extends OtpThrottlerGuard {
  protected readonly throttlerNames = [OTP_THROTTLERS.phoneCooldown, OTP_THROTTLERS.phoneDaily] as const;
  private readonly validation: ValidationPipe = createValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const body: unknown = context.switchToHttp().getRequest<Request>().body;
    await this.validation.transform(body, { type: 'body', metatype: RequestOtpDto });
    return super.canActivate(context);
  }
}
