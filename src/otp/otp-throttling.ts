import { ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import { parseThaiMobile } from '@app/thai-bulk-sms/helpers';
import type { Request } from 'express';
import type { OtpConfig } from '../config/namespaces/otp.config';

/** Named throttlers guarding the OTP routes against SMS pumping. */
export const OTP_THROTTLERS = {
  /** One OTP per phone per cooldown (default 60 s). */
  phoneCooldown: 'otp-phone-cooldown',
  /** At most N OTPs per phone per 24 h. */
  phoneDaily: 'otp-phone-daily',
  /** At most N OTP requests per client IP per window. */
  ip: 'otp-ip',
  /** At most N verify calls per client IP per window. */
  verifyIp: 'otp-verify-ip',
} as const;

export type OtpThrottlerName = (typeof OTP_THROTTLERS)[keyof typeof OTP_THROTTLERS];

/** The one answer for every throttled OTP call, whichever limit tripped. */
export const OTP_THROTTLED_MESSAGE = 'Too many requests. Try again later.';

const DAY_MS = 86_400_000;

/** Tracker keyed on the phone in the body, normalised, so `0812345678` and `+66812345678` share a limit. */
export function phoneTracker(req: Record<string, any>): string {
  const parsed = parseThaiMobile((req as Request<unknown, unknown, { phone?: unknown } | undefined>).body?.phone);
  return parsed.valid ? `phone:${parsed.msisdn}` : 'phone:invalid';
}

/**
 * `storage`: ClockThrottlerStorage (in memory, one instance) or RedisThrottlerStorage (shared).
 * Which guard applies which throttler, and in what order, is decided in otp-throttler.guards.ts:
 * @nestjs/throttler itself would run them sorted by ttl, the phone cooldown before the IP limit.
 */
export function otpThrottlerOptions(o: OtpConfig, storage: ThrottlerStorage): ThrottlerModuleOptions {
  return {
    storage,
    // Per-throttler headers would tell a caller which limit tripped; we send one Retry-After instead.
    setHeaders: false,
    throttlers: [
      { name: OTP_THROTTLERS.ip, ttl: o.ipWindowSeconds * 1000, limit: o.ipLimit },
      { name: OTP_THROTTLERS.verifyIp, ttl: o.ipWindowSeconds * 1000, limit: o.verifyIpLimit },
      { name: OTP_THROTTLERS.phoneCooldown, ttl: o.phoneCooldownSeconds * 1000, limit: 1, getTracker: phoneTracker },
      { name: OTP_THROTTLERS.phoneDaily, ttl: DAY_MS, limit: o.phoneDailyLimit, getTracker: phoneTracker },
    ],
  };
}
