import { CREDIT_PATH, OTP_REQUEST_PATH, OTP_VERIFY_PATH, SMS_PATH } from '../thai-bulk-sms.constants';

/** Which vendor call: POST /sms, GET /credit, OTP request, OTP verify. */
export type VendorOperation = 'sms' | 'credit' | 'otp.request' | 'otp.verify';

/** One attempt of a vendor call, before it starts. Never carries numbers, text or credentials. */
export interface VendorCall {
  readonly registration: string;
  readonly operation: VendorOperation;
  readonly method: string;
  /** The API path, e.g. `/sms` (the same for every call of the operation). */
  readonly path: string;
  /** Scheme, host, port and path of the call: no query, no user info. */
  readonly url: string;
  /** Host name of the API. */
  readonly serverAddress: string;
  readonly serverPort: number;
}

/** Told how one attempt goes, in this order: `sending` (unless it failed first), then one of the ends. */
export interface VendorCallProbe {
  /**
   * The exchange starts now. `limited`: the rate limiter was asked and let the request go (false
   * when the limit is off, so there was no wait to measure).
   */
  sending(limited: boolean): void;
  /** ThaiBulkSMS answered with this HTTP status (any status). */
  answered(status: number): void;
  /** The attempt ended with this result (a VendorSmsResponse, a CreditBalance, an OTP result). */
  succeeded(result: unknown): void;
  /** The attempt failed (typed error, or an abort while waiting for the limiter). */
  failed(error: unknown): void;
}

/** What a bulk send's instrumentation reads from its result. */
export interface BulkSendSummary {
  readonly chunks: number;
  readonly acceptedCount: number;
  readonly rejectedCount: number;
  readonly failedChunks: readonly { readonly errorName: string }[];
}

/** One chunk job of ThaiBulkSmsQueue, as its worker picks it up. */
export interface QueueJobRun {
  readonly queueName: string;
  readonly jobId: string;
  readonly attempt: number;
  /** The carrier `enqueue` stored in the job data, if any. */
  readonly traceContext?: Readonly<Record<string, string>>;
}

/** Where a send was refused before any request: the ledger or the compliance guard. */
export type RefusalSource = 'ledger' | 'compliance';

/**
 * Swappable hooks for metrics and traces (abstract class as DI token, like ThaiBulkSmsTransport).
 * Nothing provides it by default, and then nothing is called and nothing is built: the services
 * check for it once per call. `nestjs-thaibulksms/telemetry` (ThaiBulkSmsTelemetryModule) provides
 * an OpenTelemetry implementation; provide your own (globally) to feed another system.
 *
 * Implementations never throw and never receive phone numbers, message text, OTP tokens, PINs
 * or credentials.
 */
export abstract class ThaiBulkSmsInstrumentation {
  /** One attempt of a vendor call (each retry is an attempt of its own). */
  abstract vendorCall(call: VendorCall): VendorCallProbe;
  /** Runs a bulk send; vendor calls made inside `run` belong to it. */
  abstract bulkSend<T extends BulkSendSummary>(registration: string, run: () => Promise<T>): Promise<T>;
  /** Runs an enqueue; `run` gets a carrier to store in each job (undefined: nothing to carry). */
  abstract enqueue<T>(
    queueName: string,
    run: (traceContext: Readonly<Record<string, string>> | undefined) => Promise<T>,
  ): Promise<T>;
  /** Runs one queue job, in the context the carrier of its enqueue describes. */
  abstract processJob<T>(job: QueueJobRun, run: () => Promise<T>): Promise<T>;
  /**
   * A queue whose depth (`waiting`, `active`, `delayed`, `failed` jobs) is read when metrics are
   * collected, for as long as the instrumentation lives.
   */
  abstract watchQueue(queueName: string, jobCounts: () => Promise<Readonly<Record<string, number>>>): void;
  /** A send refused before any request, with a short, fixed reason (no numbers, no text). */
  abstract refusal(source: RefusalSource, reason: string, registration: string): void;
}

/** What the client calls per attempt: the instrumentation bound to one registration. */
export type VendorCallProbes = (method: string, path: string) => VendorCallProbe;

const OPERATIONS: Readonly<Record<string, VendorOperation>> = {
  [SMS_PATH]: 'sms',
  [CREDIT_PATH]: 'credit',
  [OTP_REQUEST_PATH]: 'otp.request',
  [OTP_VERIFY_PATH]: 'otp.verify',
};

/** Where a call goes, without user info or query even when a base URL carries them. */
function target(base: string, path: string): Pick<VendorCall, 'url' | 'serverAddress' | 'serverPort'> {
  const url = new URL(base + path);
  const serverPort = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return { url: `${url.protocol}//${url.host}${url.pathname}`, serverAddress: url.hostname, serverPort };
}

/** Binds `instrumentation` to one registration's base URLs; URLs are built once per path. */
export function vendorCallProbes(
  instrumentation: ThaiBulkSmsInstrumentation,
  registration: string,
  baseUrls: { readonly baseUrl: string; readonly otpBaseUrl: string },
): VendorCallProbes {
  const calls = new Map<string, VendorCall>();
  return (method, path) => {
    let call = calls.get(method + path);
    if (!call) {
      const operation = OPERATIONS[path] ?? 'sms';
      const base = operation.startsWith('otp.') ? baseUrls.otpBaseUrl : baseUrls.baseUrl;
      call = Object.freeze({ registration, operation, method, path, ...target(base, path) });
      calls.set(method + path, call);
    }
    return instrumentation.vendorCall(call);
  };
}
