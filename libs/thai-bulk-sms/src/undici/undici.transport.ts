import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'undici';
import { DeadlineLists } from '../transport/deadline-list';
import { ThaiBulkSmsTransport, TransportRequest, TransportResponse } from '../transport/thai-bulk-sms.transport';
import { transportError } from '../transport/transport-error.mapper';
import { MAX_RESPONSE_BODY_BYTES } from '../thai-bulk-sms.constants';
import { UndiciExchange } from './undici.exchange';

// Header lists in undici's flat form, shared and never mutated.
const FORM_HEADERS = Object.freeze(['content-type', 'application/x-www-form-urlencoded', 'accept', 'application/json']);
const JSON_HEADERS = Object.freeze(['content-type', 'application/json', 'accept', 'application/json']);
const ACCEPT_JSON = Object.freeze(['accept', 'application/json']);

/**
 * The total deadline ends an exchange (see UndiciExchange), so undici's own idle timeouts are off:
 * they would only fire later, under another name.
 */
const AGENT_OPTIONS: Agent.Options = { headersTimeout: 0, bodyTimeout: 0 };

/** Distinct URLs remembered as origin and path; the client uses a handful. */
const MAX_TARGETS = 64;

interface Target {
  readonly origin: string;
  readonly path: string;
}

/**
 * A transport on undici, Node's own HTTP/1.1 client (the optional peer `undici` 7.x), for when the
 * client's CPU per request or its latency matters (many registrations or instances on one
 * machine, OTP). One keep-alive Agent per registration, a Pool per origin inside it, released at
 * shutdown without cutting a request off. Same contract as the default transport: a total
 * deadline covering the body, the caller's signal, the same error mapping; an answer larger than
 * MAX_RESPONSE_BODY_BYTES fails with ThaiBulkSmsResponseTooLargeError instead of being buffered. Choose it with
 * `ThaiBulkSmsModule.forRoot({ ..., transport: UndiciThaiBulkSmsTransport })`.
 */
@Injectable()
export class UndiciThaiBulkSmsTransport extends ThaiBulkSmsTransport implements OnApplicationShutdown {
  private readonly agent = new Agent(AGENT_OPTIONS);
  /** Made at shutdown for requests that come after it: one connection per request, closed after it. */
  private lateAgent: Agent | undefined;
  private readonly deadlines = new DeadlineLists();
  private readonly targets = new Map<string, Target>();
  private readonly authorizations = new WeakMap<object, string>();

  postForm(
    request: TransportRequest & { readonly form: Readonly<Record<string, string>> },
  ): Promise<TransportResponse> {
    return this.exchange(request, 'POST', FORM_HEADERS, new URLSearchParams(Object.entries(request.form)).toString());
  }

  getJson(request: TransportRequest): Promise<TransportResponse> {
    return this.exchange(request, 'GET', ACCEPT_JSON, null);
  }

  postJson(request: TransportRequest & { readonly body: unknown }): Promise<TransportResponse> {
    return this.exchange(request, 'POST', JSON_HEADERS, JSON.stringify(request.body));
  }

  /**
   * Lets the process exit without cutting a request off: sends in flight may already have reached
   * the API, and during shutdown the HTTP server drains its requests and a queue worker finishes
   * its jobs, both still sending. `close()` lets the requests in flight and queued finish, then
   * closes every connection. Requests made after this still work, on a fresh connection each that
   * closes with its answer.
   */
  onApplicationShutdown(): void {
    if (this.lateAgent) return;
    this.lateAgent = new Agent(AGENT_OPTIONS);
    // close() only rejects for an agent already destroyed, and nothing here destroys it.
    this.agent.close().catch(() => undefined);
  }

  private exchange(
    request: TransportRequest,
    method: 'GET' | 'POST',
    headers: readonly string[],
    body: string | null,
  ): Promise<TransportResponse> {
    const { signal, timeoutMs } = request;
    if (signal?.aborted) return Promise.reject(transportError(signal.reason, 'caller', timeoutMs));
    let target: Target;
    try {
      target = this.target(request.url);
    } catch (error) {
      return Promise.reject(transportError(error, undefined, timeoutMs));
    }
    const exchange = new UndiciExchange(this.deadlines.forTimeout(timeoutMs), signal, MAX_RESPONSE_BODY_BYTES);
    const { auth } = request;
    const late = this.lateAgent;
    (late ?? this.agent).dispatch(
      {
        origin: target.origin,
        path: target.path,
        method,
        headers: auth ? [...headers, 'authorization', this.authorization(auth)] : (headers as string[]),
        body,
        reset: late !== undefined,
      },
      exchange,
    );
    return exchange.promise;
  }

  /** Origin and path of a URL, parsed once per distinct URL. */
  private target(url: string): Target {
    let target = this.targets.get(url);
    if (target) return target;
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
    if (this.targets.size >= MAX_TARGETS) this.targets.clear();
    this.targets.set(url, target);
    return target;
  }

  /** The Basic header of a credentials object, built once per object (the client reuses its own). */
  private authorization(auth: NonNullable<TransportRequest['auth']>): string {
    let value = this.authorizations.get(auth);
    if (value === undefined) {
      value = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      this.authorizations.set(auth, value);
    }
    return value;
  }
}
