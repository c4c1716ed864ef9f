import { ExecutionContext, Injectable, ValidationPipe } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { ApiException } from '../common/api-error';
import { createValidationPipe } from '../common/validation';
import { refundPhoneHits, rememberPhoneHit } from './otp-phone-hits';
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
 * Whichever limit trips, the caller gets the same 429: the same body and the same `Retry-After`
 * (the phone cooldown, whatever is left of any limit), so it learns nothing about which limit
 * tripped, which numbers were seen before, or when a victim last asked for a code.
 */
abstract class OtpThrottlerGuard extends ThrottlerGuard {
  /** The named throttlers this guard applies, in this order. */
  protected abstract readonly throttlerNames: readonly OtpThrottlerName[];
  private retryAfterSeconds = '60';

  override async onModuleInit(): Promise<void> {
    const all = Array.isArray(this.options) ? this.options : this.options.throttlers;
    const cooldown = all.find((t) => t.name === OTP_THROTTLERS.phoneCooldown)?.ttl;
    if (typeof cooldown === 'number') this.retryAfterSeconds = String(Math.max(1, Math.ceil(cooldown / 1000)));
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
    _detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', this.retryAfterSeconds);
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
 *
 * It remembers each hit it counted on the request, so that a request refused by the second limit
 * takes back its hit on the first, and RefundUnsentOtpInterceptor can take them all back when the
 * OTP provably never reached the vendor.
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

  /** @nestjs/throttler's own step (these throttlers set no headers and ignore no user agents), plus the bookkeeping. */
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, getTracker, generateKey } = request;
    const req = context.switchToHttp().getRequest<Request>();
    const tracker = await getTracker(req, context);
    const key = generateKey(context, tracker, throttler.name ?? 'default');
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, throttler.name ?? 'default');
    if (record.isBlocked) {
      await refundPhoneHits(this.storageService, req);
      await this.throwThrottlingException(context, { ...record, limit, ttl, key, tracker });
    }
    if ('windowEndsAt' in record && typeof record.windowEndsAt === 'number')
      rememberPhoneHit(req, { key, throttlerName: throttler.name ?? 'default', windowEndsAt: record.windowEndsAt });
    return true;
  }
}
