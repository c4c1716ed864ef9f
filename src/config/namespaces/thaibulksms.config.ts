import type { ConfigType } from '@nestjs/config';
import { CreditType } from '@app/thai-bulk-sms';
import { MAX_SENDER_LENGTH, OPTION_DEFAULTS } from '@app/thai-bulk-sms/helpers';
import { configNamespace } from '../config-namespace';
import { EnvHttpUrl, EnvInt, EnvMaxLength, EnvOneOf, EnvString } from '../env.decorators';
import { sandboxMode } from '../run-mode';

const CREDIT_TYPES: readonly CreditType[] = ['standard', 'corporate'];

export class ThaiBulkSmsVariables {
  /** SMS API credentials; without a key the app runs in sandbox mode. */
  @EnvString() THAIBULKSMS_API_KEY?: string;
  @EnvString() THAIBULKSMS_API_SECRET?: string;
  /** OTP application credentials; required outside sandbox mode. */
  @EnvString() THAIBULKSMS_OTP_KEY?: string;
  @EnvString() THAIBULKSMS_OTP_SECRET?: string;
  /** API bases; unset: the library's. */
  @EnvHttpUrl() THAIBULKSMS_BASE_URL?: string;
  @EnvHttpUrl() THAIBULKSMS_OTP_BASE_URL?: string;
  @EnvMaxLength(MAX_SENDER_LENGTH) THAIBULKSMS_SENDER: string = OPTION_DEFAULTS.defaultSender;
  /** Default credit pool. */
  @EnvOneOf(CREDIT_TYPES) THAIBULKSMS_FORCE: CreditType = OPTION_DEFAULTS.defaultCreditType;
  @EnvInt(1, 300_000) THAIBULKSMS_TIMEOUT_MS: number = OPTION_DEFAULTS.timeoutMs;
  /** Client-side rate limit in requests per second; 0 = off. */
  @EnvInt(0, 10_000) THAIBULKSMS_MAX_TPS: number = OPTION_DEFAULTS.maxTps;
}

const CREDENTIALS = [
  'THAIBULKSMS_API_KEY',
  'THAIBULKSMS_API_SECRET',
  'THAIBULKSMS_OTP_KEY',
  'THAIBULKSMS_OTP_SECRET',
] as const satisfies readonly (keyof ThaiBulkSmsVariables)[];

/** The ThaiBulkSMS account and client: what `ThaiBulkSmsModule.forRootAsync` is given (app.module.ts). */
export const thaibulksmsConfig = configNamespace('thaibulksms', {
  variables: ThaiBulkSmsVariables,
  check: (env) => {
    const mode = sandboxMode(env);
    if (!mode.enabled)
      return CREDENTIALS.filter((name) => !env[name]).map(
        (name) => `${name} is required outside sandbox mode (${mode.reason}).`,
      );
    // The embedded sandbox accepts credentials given in pairs, as the real API would.
    if (Boolean(env.THAIBULKSMS_API_KEY) !== Boolean(env.THAIBULKSMS_API_SECRET))
      return ['THAIBULKSMS_API_KEY and THAIBULKSMS_API_SECRET must be set together.'];
    if (Boolean(env.THAIBULKSMS_OTP_KEY) !== Boolean(env.THAIBULKSMS_OTP_SECRET))
      return ['THAIBULKSMS_OTP_KEY and THAIBULKSMS_OTP_SECRET must be set together.'];
    return [];
  },
  read: (env) => ({
    apiKey: env.THAIBULKSMS_API_KEY,
    apiSecret: env.THAIBULKSMS_API_SECRET,
    otpKey: env.THAIBULKSMS_OTP_KEY,
    otpSecret: env.THAIBULKSMS_OTP_SECRET,
    baseUrl: env.THAIBULKSMS_BASE_URL,
    otpBaseUrl: env.THAIBULKSMS_OTP_BASE_URL,
    sender: env.THAIBULKSMS_SENDER,
    force: env.THAIBULKSMS_FORCE,
    timeoutMs: env.THAIBULKSMS_TIMEOUT_MS,
    maxTps: env.THAIBULKSMS_MAX_TPS,
  }),
});

export type ThaiBulkSmsConfig = ConfigType<typeof thaibulksmsConfig>;
