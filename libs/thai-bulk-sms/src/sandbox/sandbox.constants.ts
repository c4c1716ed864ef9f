import { SandboxCredentials } from './sandbox.types';

/**
 * Development defaults, published on purpose: they only ever open a local sandbox. Anything that
 * talks to the real API must be given real credentials.
 */
export const SANDBOX_DEFAULT_CREDENTIALS: SandboxCredentials = Object.freeze({
  apiKey: 'sandbox-api-key',
  apiSecret: 'sandbox-api-secret',
  otpKey: 'sandbox-otp-key',
  otpSecret: 'sandbox-otp-secret',
});

export const SANDBOX_DEFAULT_PORT = 4010;
export const SANDBOX_DEFAULT_HOST = '127.0.0.1';
export const SANDBOX_DEFAULT_CREDIT = 10_000;
/** The senders every trial account has (docs/vendor/thaibulksms-api-v2.th.txt, "sender"). */
export const SANDBOX_DEFAULT_SENDERS: readonly string[] = Object.freeze(['SMS.', 'Demo', 'MySMS']);
export const SANDBOX_DEFAULT_DELIVERY_DELAY_MS = 1000;
export const SANDBOX_DEFAULT_OTP_TTL_MS = 5 * 60_000;
export const SANDBOX_DEFAULT_HISTORY_LIMIT = 10_000;
/** Bodies above this are refused with ERROR_FORM; 500 numbers and a long text fit many times over. */
export const SANDBOX_MAX_BODY_BYTES = 1024 * 1024;
/** Windows over the TPS limit kept for inspection. */
export const SANDBOX_WINDOW_HISTORY_LIMIT = 1000;

/** Sandbox-only status and name for requests above the TPS limit (the vendor's answer is unknown). */
export const SANDBOX_TOO_MANY_REQUESTS = Object.freeze({
  status: 429,
  code: 429,
  name: 'ERROR_TOO_MANY_REQUESTS',
  description: 'Too many requests: more than the allowed transactions per second.',
});

/** The OTP product's error messages, typos included, as the vendor sends them. */
export const OTP_MESSAGES = Object.freeze({
  wrongCode: 'Code is invalid.',
  expired: 'Token is expire.',
  invalidParameter: 'Invalid Paramete.',
  applicationNotFound: 'Application not found.',
  correct: 'Code is correct.',
});

export const SANDBOX_API_PATHS = Object.freeze(['/sms', '/credit', '/v2/otp/request', '/v2/otp/verify'] as const);
export const SANDBOX_ADMIN_PREFIX = '/__sandbox/';
