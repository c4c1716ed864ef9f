import { Logger } from '@nestjs/common';
import { ThaiBulkSmsAccountError } from '../errors';
import type { VendorCallProbe, VendorCallProbes } from '../instrumentation/thai-bulk-sms.instrumentation';
import { OtpRequestResult, OtpVerifyResult } from '../otp/otp.types';
import { CreditBalance } from '../sms/sms.types';
import { CREDIT_PATH, OTP_REQUEST_PATH, OTP_VERIFY_PATH, SMS_PATH } from '../thai-bulk-sms.constants';
import { ResolvedThaiBulkSmsOptions } from '../thai-bulk-sms.options';
import { ThaiBulkSmsTransport, TransportResponse } from '../transport/thai-bulk-sms.transport';
import { ThaiBulkSmsClock } from './clock';
import { OtpVerifyAttempts } from './otp-verify.retry';
import { NO_TICKET, TpsRateLimiter } from './rate-limiter';
import { retryAfterFirstFailure, RetryHooks, retryIdempotent, retryOnlyIfNeverSent } from './retry';
import { describeRequest, errorNameOf } from './request-description';
import { readCredit, readOtpAnswer, readOtpRequest, readOtpVerify } from './vendor-response.mapper';
import { readSmsResponse, VendorSmsResponse } from './vendor-sms-response';
import { VendorText, vendorTextScrubber } from './vendor-text';

/** One call to the vendor as the client runs it: rate limit, exchange, reading the answer, retries. */
export interface Operation<T> {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The request's comma-joined numbers, if any: the debug line names the first one, masked. */
  readonly numbers?: string;
  /** Which failures may be repeated (a send only when it provably never left). */
  readonly retryable: (error: unknown) => boolean;
  readonly signal?: AbortSignal;
  /** The exchange itself, under the registration's timeout. */
  readonly exchange: (timeoutMs: number) => Promise<TransportResponse>;
  /** The answer as a result, or the typed error it stands for (thrown). */
  readonly read: (response: TransportResponse) => T;
}

/** An OTP product call: its path and body fields; the key and secret are added here. */
interface OtpOperation<T> extends Pick<Operation<T>, 'path' | 'numbers' | 'retryable' | 'signal' | 'read'> {
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * The wire for one registration: auth, encoding, rate limit, retry policy, and the mapping of
 * answers to results or typed errors. Services above it deal in camelCase only. Every public
 * method builds one Operation and hands it to `call`, which reads top to bottom: `attempt`
 * (the limiter), then `exchange` (the request and its answer), retried as the policy allows.
 */
export class ThaiBulkSmsClient {
  // Built once: the options of a registration do not change.
  private readonly smsUrl: string;
  private readonly creditUrl: string;
  private readonly smsCredentials: { readonly username: string; readonly password: string } | undefined;
  /** The vendor's words, bounded and with this registration's credentials redacted. */
  private readonly vendorText: VendorText;

  constructor(
    private readonly options: ResolvedThaiBulkSmsOptions,
    private readonly transport: ThaiBulkSmsTransport,
    private readonly limiter: TpsRateLimiter,
    private readonly clock: ThaiBulkSmsClock,
    private readonly logger: Logger,
    /** Metrics and traces per attempt (ThaiBulkSmsInstrumentation); undefined costs nothing. */
    private readonly probes?: VendorCallProbes,
  ) {
    this.smsUrl = options.baseUrl + SMS_PATH;
    this.creditUrl = options.baseUrl + CREDIT_PATH;
    const { apiKey, apiSecret, otpKey, otpSecret } = options;
    this.smsCredentials = apiKey && apiSecret ? Object.freeze({ username: apiKey, password: apiSecret }) : undefined;
    const basic = apiKey && apiSecret ? Buffer.from(`${apiKey}:${apiSecret}`).toString('base64') : undefined;
    this.vendorText = vendorTextScrubber([apiKey, apiSecret, otpKey, otpSecret, basic]);
  }

  /**
   * POST /sms with an already validated form; `msisdn` is comma-joined, at most 500. Not an async
   * function (it is on every send's path): every failure still comes as a rejection. The answer
   * is reconciled with `msisdn` (readSmsResponse): a 2xx that does not account for every number
   * rejects with ThaiBulkSmsUnconfirmedSendError.
   */
  sendSms(form: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<VendorSmsResponse> {
    const auth = this.smsCredentials;
    if (!auth) return Promise.reject(notConfigured('SMS', 'apiKey/apiSecret'));
    const { smsUrl: url, vendorText } = this;
    return this.call({
      method: 'POST',
      path: SMS_PATH,
      numbers: form.msisdn,
      retryable: retryOnlyIfNeverSent,
      signal,
      exchange: (timeoutMs) => this.transport.postForm({ url, auth, form, timeoutMs, signal }),
      read: (response) => readSmsResponse(response, form.msisdn, vendorText),
    });
  }

  async getCredit(signal?: AbortSignal): Promise<CreditBalance> {
    return this.call(this.creditOperation(signal));
  }

  /**
   * GET /credit once, and only if the rate limiter has a slot free right now: never waits behind
   * sends, never retried. Undefined when no slot is free. For health checks, which must never hold
   * a send back nor spend the send budget.
   */
  async probeCredit(signal?: AbortSignal): Promise<CreditBalance | undefined> {
    const operation = this.creditOperation(signal);
    const ticket = this.limiter.tryAcquire();
    if (ticket === undefined) return undefined;
    return this.exchange(operation, ticket, this.probes?.(operation.method, operation.path));
  }

  /** Not retried after it may have arrived: a repeated request sends the user a second SMS. */
  async requestOtp(msisdn: string, signal?: AbortSignal): Promise<OtpRequestResult> {
    return this.otpCall({
      path: OTP_REQUEST_PATH,
      fields: { msisdn },
      numbers: msisdn,
      retryable: retryOnlyIfNeverSent,
      signal,
      read: readOtpRequest,
    });
  }

  /** Retried only where no earlier attempt can have used the token up unnoticed (OtpVerifyAttempts). */
  async verifyOtp(token: string, pin: string, signal?: AbortSignal): Promise<OtpVerifyResult> {
    const attempts = new OtpVerifyAttempts();
    try {
      return await this.otpCall({
        path: OTP_VERIFY_PATH,
        fields: { token, pin },
        retryable: attempts.retryable,
        signal,
        read: readOtpVerify,
      });
    } catch (error) {
      throw attempts.outcomeOf(error);
    }
  }

  private creditOperation(signal: AbortSignal | undefined): Operation<CreditBalance> {
    if (!this.smsCredentials) throw notConfigured('SMS', 'apiKey/apiSecret');
    const { creditUrl: url, smsCredentials: auth, vendorText } = this;
    return {
      method: 'GET',
      path: CREDIT_PATH,
      retryable: retryIdempotent,
      signal,
      exchange: (timeoutMs) => this.transport.getJson({ url, auth, timeoutMs, signal }),
      read: (response) => readCredit(response, vendorText),
    };
  }

  private otpCall<T>(operation: OtpOperation<T>): Promise<T> {
    const { otpKey, otpSecret, otpBaseUrl } = this.options;
    if (!otpKey || !otpSecret) return Promise.reject(notConfigured('OTP', 'otpKey/otpSecret'));
    const { path, fields, signal, read } = operation;
    const url = otpBaseUrl + path;
    const body = { key: otpKey, secret: otpSecret, ...fields };
    return this.call({
      method: 'POST',
      path,
      numbers: operation.numbers,
      retryable: operation.retryable,
      signal,
      exchange: (timeoutMs) => this.transport.postJson({ url, body, timeoutMs, signal }),
      read: (response) => readOtpAnswer(response, this.vendorText, read),
    });
  }

  /**
   * The first attempt, then retries as the policy allows; the first attempt is made here, so a
   * call that succeeds builds no retry hooks and runs no retry loop.
   */
  private call<T>(operation: Operation<T>): Promise<T> {
    const first = this.attempt(operation);
    const policy = this.options.retry;
    if (policy.retries === 0) return first;
    return first.catch((error: unknown) =>
      retryAfterFirstFailure(policy, this.retryHooks(operation), () => this.attempt(operation), error),
    );
  }

  private retryHooks(operation: Operation<unknown>): RetryHooks {
    const { method, path, signal, retryable } = operation;
    return {
      clock: this.clock,
      signal,
      retryable,
      onRetry: (failure, attempt, delayMs) =>
        this.logger.warn(
          `${method} ${path} failed (${errorNameOf(failure)}); retry ${attempt}/${this.options.retry.retries} in ${delayMs} ms`,
        ),
    };
  }

  /**
   * One attempt: a limiter ticket, then the exchange. With the limit off and no signal there is
   * nothing to wait for, so the limiter is not asked (it would answer at once).
   */
  private async attempt<T>(operation: Operation<T>): Promise<T> {
    const probe = this.probes?.(operation.method, operation.path);
    let ticket = NO_TICKET;
    try {
      if (this.limiter.enabled || operation.signal) ticket = await this.limiter.acquire(operation.signal);
    } catch (error) {
      probe?.failed(error);
      throw error;
    }
    return this.exchange(operation, ticket, probe);
  }

  /** One exchange under a limiter ticket already taken: settles it once the answer is in. */
  private async exchange<T>(operation: Operation<T>, ticket: number, probe: VendorCallProbe | undefined): Promise<T> {
    const { limiter, logger, clock } = this;
    probe?.sending(ticket !== NO_TICKET);
    const started = clock.now();
    try {
      let response: TransportResponse;
      try {
        response = await operation.exchange(this.options.timeoutMs);
      } finally {
        // The API stamped the request by now: the limiter counts it from here (see TpsRateLimiter).
        limiter.settle(ticket);
      }
      probe?.answered(response.status);
      logger.debug(`${describeRequest(operation)} -> ${response.status} in ${Math.round(clock.now() - started)} ms`);
      const result = operation.read(response);
      probe?.succeeded(result);
      return result;
    } catch (error) {
      probe?.failed(error);
      logger.debug(
        `${describeRequest(operation)} failed: ${errorNameOf(error)} after ${Math.round(clock.now() - started)} ms`,
      );
      throw error;
    }
  }
}

function notConfigured(product: string, fields: string): ThaiBulkSmsAccountError {
  return new ThaiBulkSmsAccountError({
    errorName: 'ERROR_NOT_CONFIGURED',
    description: `${product} credentials (${fields}) are not configured for this registration.`,
    source: 'local',
  });
}
