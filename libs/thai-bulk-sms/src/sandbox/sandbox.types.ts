import { CreditType } from '../message/vendor-limits';

/** A clock the sandbox reads for OTP expiry and delivery reports, so tests can move time. */
export interface SandboxClock {
  now(): number;
}

export interface SandboxOptions {
  /** 0 picks a free port. @default 4010 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Accepted Basic-auth credentials for /sms and /credit. @default SANDBOX_DEFAULT_CREDENTIALS */
  readonly apiKey?: string;
  readonly apiSecret?: string;
  /** Accepted OTP application key/secret. */
  readonly otpKey?: string;
  readonly otpSecret?: string;
  /** Starting balances. @default { standard: 10000, corporate: 10000 } */
  readonly credits?: Partial<Record<CreditType, number>>;
  /** Approved sender names. @default ['SMS.', 'Demo', 'MySMS'] */
  readonly senders?: readonly string[];
  /** Requests per second above which the sandbox answers the over-limit response. @default 120; 0 = no limit */
  readonly maxTps?: number;
  /** Longest message accepted, in parts. @default 10 */
  readonly maxMessageParts?: number;
  /** Delay before a delivery report is sent to `callback_url`. @default 1000 */
  readonly deliveryDelayMs?: number;
  /** Numbers (any Thai form) whose delivery report says `failed`. */
  readonly failingNumbers?: readonly string[];
  /** OTP lifetime. @default 300000 (5 minutes) */
  readonly otpTtlMs?: number;
  /** @default Date.now */
  readonly clock?: SandboxClock;
  /** Keep at most this many messages for inspection (oldest dropped first). @default 10000 */
  readonly historyLimit?: number;
  /**
   * What a number given twice in one request does (the vendor's behaviour is unknown):
   * `once` accepts and charges it once, `each` sends and charges every occurrence. @default 'once'
   */
  readonly duplicates?: 'once' | 'each';
  /** Body of POST/PUT delivery reports. @default 'json' */
  readonly deliveryReportEncoding?: 'json' | 'form';
  /**
   * Where delivery reports may go: URL prefixes (origin and path, e.g.
   * `http://127.0.0.1:3000/webhooks/`). A `callback_url` under none of them is never called: its
   * report is kept with a `sendError`. An app's embedded sandbox lists only the app's own webhook,
   * so a caller cannot make it call any other local port. Change it later with
   * `setDeliveryReportTargets`. @default undefined (any URL)
   */
  readonly deliveryReportTargets?: readonly string[];
  /** Source of randomness for `FaultPlan.rate`, so a test can make shares deterministic. @default Math.random */
  readonly random?: () => number;
  /**
   * `status` of a correct OTP verify. The vendor has been seen answering both (docs/vendor-api.md, "OTP"), so
   * clients must accept either. @default 'success'
   */
  readonly otpVerifyStatus?: 'success' | 'verified';
  /**
   * Body of GET /credit: `pools` is `{ remaining_credit: { standard, corporate } }`; `number` is
   * the standard balance as a bare JSON number, which the vendor's own client also copes with.
   * @default 'pools'
   */
  readonly creditShape?: 'pools' | 'number';
}

export interface SandboxCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly otpKey: string;
  readonly otpSecret: string;
}

export type SandboxCreditBalances = Record<CreditType, number>;

export interface SandboxMessage {
  readonly messageId: string;
  /** `66XXXXXXXXX` */
  readonly phone: string;
  readonly sender: string;
  readonly message: string;
  readonly parts: number;
  readonly credits: number;
  readonly creditType: CreditType;
  readonly scheduledAt?: string;
  readonly shortenUrl: boolean;
  readonly callbackUrl?: string;
  readonly callbackMethod?: string;
  readonly tags: readonly string[];
  readonly receivedAt: number;
  status: 'accepted' | 'scheduled' | 'delivered' | 'failed';
}

export interface SandboxOtp {
  readonly token: string;
  readonly refno: string;
  readonly pin: string;
  readonly phone: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  status: 'pending' | 'verified' | 'expired';
  /** Verify calls with a wrong PIN. */
  attempts: number;
}

/** Documented fault kinds, for tests of what the client does when the API misbehaves. */
export type SandboxFault =
  | { readonly kind: 'vendor-error'; readonly name: string; readonly status?: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** The normal answer, written a few bytes at a time. @default chunkBytes 16 */
  | { readonly kind: 'trickle'; readonly chunkDelayMs: number; readonly chunkBytes?: number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'html-502' }
  | { readonly kind: 'malformed-json' }
  /** An OTP-style error body (`{ code: 400, errors: [{ message }] }`). */
  | { readonly kind: 'otp-error'; readonly message: string; readonly status?: number };

export type SandboxFaultKind = SandboxFault['kind'];

export type SandboxApiPath = '/sms' | '/credit' | '/v2/otp/request' | '/v2/otp/verify';

export interface FaultPlan {
  /** Which requests the fault applies to. @default every path */
  readonly path?: SandboxApiPath;
  /** Apply to the next N matching requests… @default 1 (when `rate` is not given) */
  readonly times?: number;
  /** …or to this share (0..1) of them, until cleared. */
  readonly rate?: number;
  /**
   * Whether the sandbox handles the request (records the message, charges credit) before
   * misbehaving. @default true for `slow`, `trickle` and `malformed-json` (they answer 2xx-like),
   * false for the others
   */
  readonly process?: boolean;
}

export interface SandboxDeliveryReport {
  readonly messageId: string;
  readonly phone: string;
  readonly status: 'delivered' | 'failed';
  /** `YYYY-MM-DDTHH:mm:ss+07:00` */
  readonly time: string;
  readonly error?: string;
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  /** The receiver's HTTP status, or undefined when it could not be reached (see `sendError`). */
  readonly responseStatus?: number;
  /** The start of the receiver's answer (at most 500 characters); absent when it was empty. */
  readonly responseBody?: string;
  readonly sendError?: string;
}

export interface SandboxStats {
  /** Requests received per path (counted before faults are applied). */
  readonly requests: Readonly<Record<string, number>>;
  /** One-second windows in which more than maxTps requests arrived. */
  readonly windowsOverLimit: readonly { readonly second: number; readonly count: number }[];
  readonly rejectedOverLimit: number;
}

/**
 * One API request as the sandbox received it, whatever became of it: handled, refused by a check,
 * refused over the TPS limit, or answered by a fault. Credentials are never kept: headers are not
 * recorded at all (no Authorization), and credential fields of the body (the OTP `key` and
 * `secret`) are left out of `fields`.
 */
export interface SandboxRequest {
  readonly path: string;
  readonly method: string;
  /** Arrival, on the sandbox clock. */
  readonly receivedAt: number;
  /** The parsed body, credentials left out; undefined when it did not parse or was too large. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** The injected fault that decided the answer. */
  readonly fault?: SandboxFaultKind;
  /** Status answered (for `slow`/`trickle`: about to be); undefined when none was (`hang`, `drop`). */
  readonly status?: number;
  /** The error name (for OTP errors, the message) when the answer was an error. */
  readonly error?: string;
}
