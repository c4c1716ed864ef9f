import { Logger } from '@nestjs/common';
import {
  ThaiBulkSmsAccountError,
  ThaiBulkSmsError,
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsTimeoutError,
  ThaiBulkSmsUpstreamError,
} from '../errors';
import { OtpRequestResult, OtpVerifyResult } from '../otp/otp.types';
import { maskPhone } from '../phone';
import { CreditBalance } from '../sms/sms.types';
import { CREDIT_PATH, OTP_REQUEST_PATH, OTP_VERIFY_PATH, SMS_PATH } from '../thai-bulk-sms.constants';
import { isDebugEnabled } from '../thai-bulk-sms.logger';
import { ResolvedThaiBulkSmsOptions } from '../thai-bulk-sms.options';
import type { VendorCallProbe, VendorCallProbes } from '../instrumentation/thai-bulk-sms.instrumentation';
import { ThaiBulkSmsClock } from './clock';
import { OtpVerifyAttempts } from './otp-verify.retry';
import { NO_TICKET, TpsRateLimiter } from './rate-limiter';
import { retryAfterFirstFailure } from './retry';
import { ThaiBulkSmsTransport, TransportResponse } from '../transport/thai-bulk-sms.transport';
import { badResponse, expectSuccessObject, isObject, otpError } from './vendor-response.mapper';
import { readSmsResponse, VendorSmsResponse } from './vendor-sms-response';
import { VendorText, vendorTextScrubber } from './vendor-text';

/** A send may have reached the API unless the connection provably never opened. */
const onlyIfNeverSent = (error: unknown) => error instanceof ThaiBulkSmsNetworkError && !error.requestMayHaveArrived;

/**
 * Idempotent calls (credit) may also be repeated after timeouts and vendor failures. OTP verify is
 * not idempotent (a correct PIN uses the token up): it has its own policy, OtpVerifyAttempts.
 */
const idempotentRetryable = (error: unknown) =>
  error instanceof ThaiBulkSmsNetworkError ||
  error instanceof ThaiBulkSmsTimeoutError ||
  (error instanceof ThaiBulkSmsUpstreamError &&
    (error.upstreamStatus === undefined || error.upstreamStatus >= 500 || error.upstreamStatus === 429));

/**
 * The wire for one registration: auth, encoding, rate limit, retry policy, and the mapping of
 * answers to results or typed errors. Services above it deal in camelCase only.
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
    const url = this.smsUrl;
    const text = this.vendorText;
    return this.call(
      'POST',
      SMS_PATH,
      form.msisdn,
      onlyIfNeverSent,
      signal,
      (timeoutMs) => this.transport.postForm({ url, auth, form, timeoutMs, signal }),
      (response) => readSmsResponse(response, form.msisdn, text),
    );
  }

  async getCredit(signal?: AbortSignal): Promise<CreditBalance> {
    const auth = this.smsAuth();
    const url = this.creditUrl;
    return this.call(
      'GET',
      CREDIT_PATH,
      undefined,
      idempotentRetryable,
      signal,
      (timeoutMs) => this.transport.getJson({ url, auth, timeoutMs, signal }),
      (response) => readCredit(response, this.vendorText),
    );
  }

  /**
   * GET /credit once, and only if the rate limiter has a slot free right now: never waits behind
   * sends, never retried. Undefined when no slot is free. For health checks, which must never hold
   * a send back nor spend the send budget.
   */
  async probeCredit(signal?: AbortSignal): Promise<CreditBalance | undefined> {
    const auth = this.smsAuth();
    const ticket = this.limiter.tryAcquire();
    if (ticket === undefined) return undefined;
    const url = this.creditUrl;
    return this.exchangeWithTicket(
      ticket,
      this.probes?.('GET', CREDIT_PATH),
      'GET',
      CREDIT_PATH,
      undefined,
      (timeoutMs) => this.transport.getJson({ url, auth, timeoutMs, signal }),
      (response) => readCredit(response, this.vendorText),
    );
  }

  /** Not retried after it may have arrived: a repeated request sends the user a second SMS. */
  async requestOtp(msisdn: string, signal?: AbortSignal): Promise<OtpRequestResult> {
    return this.otpCall(OTP_REQUEST_PATH, { msisdn }, msisdn, onlyIfNeverSent, signal, (response) => {
      const body = isObject(response.body) && isObject(response.body.data) ? response.body.data : response.body;
      if (!isObject(body) || typeof body.token !== 'string' || body.token === '') {
        throw badResponse(response.status, 'an OTP request body without a token');
      }
      return { token: body.token, refno: typeof body.refno === 'string' ? body.refno : '' };
    });
  }

  /** Retried only where no earlier attempt can have used the token up unnoticed (OtpVerifyAttempts). */
  async verifyOtp(token: string, pin: string, signal?: AbortSignal): Promise<OtpVerifyResult> {
    const attempts = new OtpVerifyAttempts();
    try {
      return await this.otpCall(OTP_VERIFY_PATH, { token, pin }, undefined, attempts.retryable, signal, readOtpVerify);
    } catch (error) {
      throw attempts.outcomeOf(error);
    }
  }

  private async otpCall<T>(
    path: string,
    fields: Record<string, string>,
    numbers: string | undefined,
    retryable: (error: unknown) => boolean,
    signal: AbortSignal | undefined,
    read: (response: TransportResponse) => T,
  ): Promise<T> {
    const { otpKey, otpSecret } = this.options;
    if (!otpKey || !otpSecret) throw notConfigured('OTP', 'otpKey/otpSecret');
    return this.call(
      'POST',
      path,
      numbers,
      retryable,
      signal,
      (timeoutMs) =>
        this.transport.postJson({
          url: this.options.otpBaseUrl + path,
          body: { key: otpKey, secret: otpSecret, ...fields },
          timeoutMs,
          signal,
        }),
      (response) => {
        if (response.status >= 300 || !response.json) {
          throw otpError(response, this.vendorText) ?? badResponse(response.status, 'with a body that is not JSON');
        }
        return read(response);
      },
    );
  }

  private smsAuth() {
    if (!this.smsCredentials) throw notConfigured('SMS', 'apiKey/apiSecret');
    return this.smsCredentials;
  }

  /**
   * One operation: rate limit, exchange and reading the answer, retried together as the policy
   * allows (withRetry's policy; the first attempt is made here, so a call that succeeds builds
   * no retry hooks and runs no retry loop).
   */
  private call<T>(
    method: string,
    path: string,
    numbers: string | undefined,
    retryable: (error: unknown) => boolean,
    signal: AbortSignal | undefined,
    exchange: (timeoutMs: number) => Promise<TransportResponse>,
    read: (response: TransportResponse) => T,
  ): Promise<T> {
    const first = this.attempt(method, path, numbers, signal, exchange, read);
    const policy = this.options.retry;
    if (policy.retries === 0) return first;
    return first.catch((error: unknown) =>
      retryAfterFirstFailure(
        policy,
        {
          clock: this.clock,
          signal,
          retryable,
          onRetry: (failure, attempt, delayMs) =>
            this.logger.warn(
              `${method} ${path} failed (${errorNameOf(failure)}); retry ${attempt}/${policy.retries} in ${delayMs} ms`,
            ),
        },
        () => this.attempt(method, path, numbers, signal, exchange, read),
        error,
      ),
    );
  }

  /**
   * One attempt. With the limit off and no signal there is nothing to wait for, so the limiter is
   * not asked (it would answer at once). `numbers` (the comma-joined msisdn, if any) is described,
   * masked, in the debug line, which is built only when debug logging is on.
   */
  private async attempt<T>(
    method: string,
    path: string,
    numbers: string | undefined,
    signal: AbortSignal | undefined,
    exchange: (timeoutMs: number) => Promise<TransportResponse>,
    read: (response: TransportResponse) => T,
  ): Promise<T> {
    const { limiter } = this;
    const probe = this.probes?.(method, path);
    let ticket = NO_TICKET;
    try {
      if (limiter.enabled || signal) ticket = await limiter.acquire(signal);
    } catch (error) {
      probe?.failed(error);
      throw error;
    }
    return this.exchangeWithTicket(ticket, probe, method, path, numbers, exchange, read);
  }

  /** One exchange under a limiter ticket already taken: settles it once the answer is in. */
  private async exchangeWithTicket<T>(
    ticket: number,
    probe: VendorCallProbe | undefined,
    method: string,
    path: string,
    numbers: string | undefined,
    exchange: (timeoutMs: number) => Promise<TransportResponse>,
    read: (response: TransportResponse) => T,
  ): Promise<T> {
    const { limiter, logger, clock } = this;
    probe?.sending(ticket !== NO_TICKET);
    const debug = isDebugEnabled(logger);
    const started = debug ? clock.now() : 0;
    try {
      let response: TransportResponse;
      try {
        response = await exchange(this.options.timeoutMs);
      } finally {
        // The API stamped the request by now: the limiter counts it from here (see TpsRateLimiter).
        limiter.settle(ticket);
      }
      probe?.answered(response.status);
      if (debug)
        logger.debug(
          `${method} ${path}${describeNumbers(numbers)} -> ${response.status} in ${Math.round(clock.now() - started)} ms`,
        );
      const result = read(response);
      probe?.succeeded(result);
      return result;
    } catch (error) {
      probe?.failed(error);
      if (debug)
        logger.debug(
          `${method} ${path}${describeNumbers(numbers)} failed: ${errorNameOf(error)} after ${Math.round(clock.now() - started)} ms`,
        );
      throw error;
    }
  }
}

/** The vendor has been seen answering `success` and `verified` (docs/vendor-api.md, "OTP"); both mean correct. */
function readOtpVerify(response: TransportResponse): OtpVerifyResult {
  const body = isObject(response.body) && isObject(response.body.data) ? response.body.data : response.body;
  const status = isObject(body) && typeof body.status === 'string' ? body.status.toLowerCase() : '';
  if (status !== 'success' && status !== 'verified')
    throw badResponse(response.status, 'an OTP verify body without a success status');
  return {
    verified: true as const,
    message: isObject(body) && typeof body.message === 'string' ? body.message : 'Code is correct.',
  };
}

/** The vendor's client copes with a bare number as well as the pools object; so do we. */
function readCredit(response: TransportResponse, text: VendorText): CreditBalance {
  if (response.json && typeof response.body === 'number' && response.status < 300)
    return { standard: response.body, corporate: 0 };
  const remaining = expectSuccessObject(response, text).remaining_credit;
  if (typeof remaining === 'number') return { standard: remaining, corporate: 0 };
  if (isObject(remaining) && typeof remaining.standard === 'number') {
    return {
      standard: remaining.standard,
      corporate: typeof remaining.corporate === 'number' ? remaining.corporate : 0,
    };
  }
  throw badResponse(response.status, 'a credit body without remaining_credit');
}

function errorNameOf(error: unknown): string {
  return error instanceof ThaiBulkSmsError ? error.errorName : error instanceof Error ? error.name : 'unknown error';
}

/** Only the first number, masked, and a count: enough to trace a request, nothing to leak. */
function describeNumbers(msisdn: string | undefined): string {
  if (!msisdn) return '';
  const comma = msisdn.indexOf(',');
  if (comma < 0) return ` [${maskPhone(msisdn)}]`;
  let count = 1;
  for (let i = comma; i >= 0; i = msisdn.indexOf(',', i + 1)) count++;
  return ` [${count} numbers: ${maskPhone(msisdn.slice(0, comma))}, ...]`;
}

function notConfigured(product: string, fields: string): ThaiBulkSmsAccountError {
  return new ThaiBulkSmsAccountError({
    errorName: 'ERROR_NOT_CONFIGURED',
    description: `${product} credentials (${fields}) are not configured for this registration.`,
    source: 'local',
  });
}
