import type { ConfigType } from '@nestjs/config';
import { configNamespace } from '../config-namespace';
import { EnvInt } from '../env.decorators';

export class OtpVariables {
  /** Seconds between two OTP requests for one phone. */
  @EnvInt(1, 86_400) OTP_PHONE_COOLDOWN_SECONDS = 60;
  /** OTP requests per phone per 24 hours. */
  @EnvInt(1, 1_000) OTP_PHONE_DAILY_LIMIT = 5;
  /** OTP requests per client IP per window. */
  @EnvInt(1, 1_000_000) OTP_IP_LIMIT = 20;
  /** OTP verify calls per client IP per window. */
  @EnvInt(1, 1_000_000) OTP_VERIFY_IP_LIMIT = 60;
  @EnvInt(1, 86_400) OTP_IP_WINDOW_SECONDS = 3_600;
  /** Verify attempts per token; after that the token is dead, even with the right PIN. */
  @EnvInt(1, 100) OTP_VERIFY_MAX_ATTEMPTS = 5;
  /** How long the app remembers an issued token (match the vendor's OTP lifetime). */
  @EnvInt(10, 86_400) OTP_TOKEN_TTL_SECONDS = 300;
}

/** OTP abuse protection (README, "OTP abuse protection"). */
export const otpConfig = configNamespace('otp', {
  variables: OtpVariables,
  read: (env) => ({
    phoneCooldownSeconds: env.OTP_PHONE_COOLDOWN_SECONDS,
    phoneDailyLimit: env.OTP_PHONE_DAILY_LIMIT,
    ipLimit: env.OTP_IP_LIMIT,
    verifyIpLimit: env.OTP_VERIFY_IP_LIMIT,
    ipWindowSeconds: env.OTP_IP_WINDOW_SECONDS,
    verifyMaxAttempts: env.OTP_VERIFY_MAX_ATTEMPTS,
    tokenTtlSeconds: env.OTP_TOKEN_TTL_SECONDS,
  }),
});

export type OtpConfig = ConfigType<typeof otpConfig>;
