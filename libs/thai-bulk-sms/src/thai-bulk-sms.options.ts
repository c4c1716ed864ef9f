import {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_MESSAGE_PARTS,
  DEFAULT_MAX_TPS,
  DEFAULT_OTP_BASE_URL,
  DEFAULT_SENDER,
  DEFAULT_TIMEOUT_MS,
} from './thai-bulk-sms.constants';
import type { CreditType } from './message/vendor-limits';

export type { CreditType };

export interface RetryPolicy {
  /**
   * Extra attempts after the first, only where the request provably never arrived (refused, DNS)
   * or the call is idempotent (credit, OTP verify). A send that may have arrived is never resent.
   * @default 2
   */
  readonly retries?: number;
  /** First backoff; doubles each attempt, with full jitter. @default 100 */
  readonly baseDelayMs?: number;
  /** Ceiling of one backoff. @default 2000 */
  readonly maxDelayMs?: number;
}

export interface ThaiBulkSmsModuleOptions {
  /** SMS API key (Basic auth user). Required for SMS and credit calls. */
  readonly apiKey?: string;
  /** SMS API secret (Basic auth password). Never logged or echoed. */
  readonly apiSecret?: string;
  /** OTP application key (sent in the body). Required for OTP calls. */
  readonly otpKey?: string;
  /** OTP application secret. Never logged or echoed. */
  readonly otpSecret?: string;
  /** @default 'https://api-v2.thaibulksms.com' */
  readonly baseUrl?: string;
  /** @default 'https://otp.thaibulksms.com' */
  readonly otpBaseUrl?: string;
  /** Sender name used when a send names none; must be approved on the account. @default 'SMS.' */
  readonly defaultSender?: string;
  /** Credit pool used when a send names none (the vendor's `force`). @default 'standard' */
  readonly defaultCreditType?: CreditType;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
  /** Requests per second shared by every call of this registration; 0 turns the limit off. @default 120 */
  readonly maxTps?: number;
  /** Requests in flight at once for bulk sends. @default 16 */
  readonly maxConcurrency?: number;
  /** Retry policy for requests that are safe to repeat. */
  readonly retry?: RetryPolicy;
  /** Longest message accepted, in SMS parts (ERROR_MESSAGE_TOO_LONG above). @default 10 */
  readonly maxMessageParts?: number;
}

export type ResolvedThaiBulkSmsOptions = Required<
  Omit<ThaiBulkSmsModuleOptions, 'apiKey' | 'apiSecret' | 'otpKey' | 'otpSecret' | 'retry'>
> &
  Pick<ThaiBulkSmsModuleOptions, 'apiKey' | 'apiSecret' | 'otpKey' | 'otpSecret'> & {
    readonly retry: Required<RetryPolicy>;
  };

export const OPTION_DEFAULTS = {
  baseUrl: DEFAULT_BASE_URL,
  otpBaseUrl: DEFAULT_OTP_BASE_URL,
  defaultSender: DEFAULT_SENDER,
  defaultCreditType: 'standard' as CreditType,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  maxTps: DEFAULT_MAX_TPS,
  maxConcurrency: DEFAULT_MAX_CONCURRENCY,
  maxMessageParts: DEFAULT_MAX_MESSAGE_PARTS,
  retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 2000 },
} as const;
