export interface TransportRequest {
  readonly url: string;
  /** HTTP Basic credentials (SMS API); the OTP API carries its key in the body instead. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Total deadline for the whole exchange, the body included. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** The parsed JSON body; `undefined` when `json` is false. */
  readonly body: unknown;
  /** False when the answer was not JSON (an HTML error page, a cut-off body). */
  readonly json: boolean;
}

/**
 * The wire, swappable (abstract class as DI token, like throttler's storage): provide another
 * implementation to route calls through a proxy, record them, or fake them.
 *
 * Contract: resolve for every HTTP answer whatever its status; reject only with
 * ThaiBulkSmsTimeoutError (deadline passed), ThaiBulkSmsAbortedError (the caller's signal),
 * ThaiBulkSmsResponseTooLargeError (the body passed MAX_RESPONSE_BODY_BYTES: stop reading there,
 * never buffer it first) or ThaiBulkSmsNetworkError (no answer; set `requestMayHaveArrived` false
 * only when the request provably never left, e.g. connection refused or DNS failure). Never put a
 * request's credentials into an error or its cause. The shared suite in
 * transport-contract.test-util.ts checks all of this against real servers.
 */
export abstract class ThaiBulkSmsTransport {
  /** POST application/x-www-form-urlencoded. */
  abstract postForm(
    request: TransportRequest & { readonly form: Readonly<Record<string, string>> },
  ): Promise<TransportResponse>;
  abstract getJson(request: TransportRequest): Promise<TransportResponse>;
  /** POST application/json. */
  abstract postJson(request: TransportRequest & { readonly body: unknown }): Promise<TransportResponse>;
}
