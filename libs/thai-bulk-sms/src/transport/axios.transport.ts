import { HttpService } from '@nestjs/axios';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import axios, { Cancel, CancelToken } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import { ThaiBulkSmsError } from '../errors';
import { DeadlineEntry, DeadlineList, DeadlineLists } from './deadline-list';
import { MAX_RESPONSE_BODY_BYTES } from '../thai-bulk-sms.constants';
import { ThaiBulkSmsTransport, TransportRequest, TransportResponse } from './thai-bulk-sms.transport';
import { AbortReason, transportError } from './transport-error.mapper';

const identity = (data: unknown) => data;
const validateStatus = () => true;
// Shared, never mutated: axios copies headers into its own AxiosHeaders per request.
const FORM_HEADERS = Object.freeze({ 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' });
const JSON_HEADERS = Object.freeze({ 'Content-Type': 'application/json', Accept: 'application/json' });
const ACCEPT_JSON = Object.freeze({ Accept: 'application/json' });

/**
 * The default transport: @nestjs/axios over keep-alive agents owned by this registration and
 * released with it (see onApplicationShutdown). The timeout is a total deadline (one timer that cancels the request, see
 * Deadline), not axios' socket-idle timeout, so a body that trickles in byte by byte still times out.
 */
@Injectable()
export class AxiosThaiBulkSmsTransport extends ThaiBulkSmsTransport implements OnApplicationShutdown {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  /** The deadlines of the exchanges in flight, one list per timeout (see DeadlineList). */
  private readonly deadlines = new DeadlineLists();
  readonly http: HttpService;

  constructor() {
    super();
    // Every request of this instance reads the body as text (parsed here, so an HTML error page
    // is not an exception), accepts any status, follows no redirect and stops reading a body past
    // MAX_RESPONSE_BODY_BYTES (axios destroys the stream there): set once, not per request.
    this.http = new HttpService(
      axios.create({
        httpAgent: this.httpAgent,
        httpsAgent: this.httpsAgent,
        responseType: 'text',
        transformResponse: identity,
        validateStatus,
        maxRedirects: 0,
        maxContentLength: MAX_RESPONSE_BODY_BYTES,
      }),
    );
  }

  postForm(
    request: TransportRequest & { readonly form: Readonly<Record<string, string>> },
  ): Promise<TransportResponse> {
    // From the pairs, not the object: for a record URLSearchParams reads Reflect.ownKeys and a
    // property descriptor per key, which costs several µs more per request on forms built by
    // spreading (every send's form is); the string is the same (bench/RESULTS.md).
    return this.exchange(request, 'POST', FORM_HEADERS, new URLSearchParams(Object.entries(request.form)).toString());
  }

  getJson(request: TransportRequest): Promise<TransportResponse> {
    return this.exchange(request, 'GET', ACCEPT_JSON, undefined);
  }

  postJson(request: TransportRequest & { readonly body: unknown }): Promise<TransportResponse> {
    return this.exchange(request, 'POST', JSON_HEADERS, JSON.stringify(request.body));
  }

  /**
   * Lets the process exit without cutting a request off. Destroying the agents would kill sends in
   * flight, and those may already have reached the API: during shutdown the HTTP server drains its
   * requests and a queue worker finishes its jobs, both still sending. So idle sockets close now,
   * and a socket in use closes when its exchange ends (an agent with no room for free sockets
   * destroys every socket it frees). Requests made after this still work, on a fresh connection each.
   */
  onApplicationShutdown(): void {
    for (const agent of [this.httpAgent, this.httpsAgent]) {
      agent.maxFreeSockets = 0;
      for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
    }
  }

  private async exchange(
    request: TransportRequest,
    method: 'GET' | 'POST',
    headers: Readonly<Record<string, string>>,
    data: string | undefined,
  ): Promise<TransportResponse> {
    const deadline = new Deadline(this.deadlines.forTimeout(request.timeoutMs), request.signal);
    try {
      const { auth } = request;
      const response = await this.http.axiosRef.request<string>({
        method,
        url: request.url,
        headers,
        data,
        auth: auth ? { username: auth.username, password: auth.password } : undefined,
        cancelToken: deadline,
      });
      return parseBody(response.status, response.data);
    } catch (error) {
      if (error instanceof ThaiBulkSmsError) throw error;
      throw transportError(error, deadline.abortedBy, request.timeoutMs, MAX_RESPONSE_BODY_BYTES);
    } finally {
      deadline.finish();
    }
  }
}

/**
 * The total deadline and the caller's signal of one exchange, handed to axios as its cancel token
 * (axios' `CancelToken` interface: axios subscribes when the request starts, rejects the request
 * with a CanceledError and destroys the socket stream when the token fires, at any stage, the
 * body included). One object per request, linked into its DeadlineList: an AbortController per
 * request cost ~40 µs of EventTarget work, a timer per request ~3% of a send at concurrency 1
 * (bench/RESULTS.md). The caller's signal is listened to only when one is given.
 */
class Deadline implements CancelToken, DeadlineEntry {
  reason?: Cancel;
  abortedBy: AbortReason;
  readonly due: number;
  prev: DeadlineEntry | undefined;
  next: DeadlineEntry | undefined;
  linked = false;
  // axios subscribes one listener per request; more are kept in `others`.
  private listener: ((reason: Cancel) => void) | undefined;
  private others: ((reason: Cancel) => void)[] | undefined;
  private lazyPromise?: Promise<Cancel>;

  constructor(
    private readonly list: DeadlineList,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.due = performance.now() + list.timeoutMs;
    list.add(this);
    if (signal) {
      if (signal.aborted) this.abort('caller');
      else signal.addEventListener('abort', this, { once: true });
    }
  }

  /** The caller's signal fired (EventListener object: no closure per request). */
  handleEvent(): void {
    this.abort('caller');
  }

  onDeadline(): void {
    this.abort('timeout');
  }

  abort(by: Exclude<AbortReason, undefined>): void {
    if (this.abortedBy) return;
    this.abortedBy = by;
    const reason = new axios.CanceledError(by === 'timeout' ? 'deadline passed' : 'aborted by the caller');
    this.reason = reason;
    const { listener, others } = this;
    this.listener = this.others = undefined;
    listener?.(reason);
    if (others) for (const other of others) other(reason);
  }

  finish(): void {
    this.list.remove(this);
    this.signal?.removeEventListener('abort', this);
    this.listener = this.others = undefined;
  }

  throwIfRequested(): void {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- axios' CancelToken contract throws its Cancel
    if (this.reason) throw this.reason;
  }

  subscribe(listener: (reason: Cancel) => void): void {
    if (this.reason) listener(this.reason);
    else if (!this.listener) this.listener = listener;
    else (this.others ??= []).push(listener);
  }

  unsubscribe(listener: (reason: Cancel) => void): void {
    if (this.listener === listener) this.listener = undefined;
    const index = this.others?.indexOf(listener) ?? -1;
    if (index >= 0) this.others!.splice(index, 1);
  }

  /** Part of the interface (axios' fetch adapter uses it; the http adapter does not): made on demand. */
  get promise(): Promise<Cancel> {
    return (this.lazyPromise ??= new Promise<Cancel>((resolve) => this.subscribe(resolve)));
  }

  toAbortSignal(): AbortSignal {
    const controller = new AbortController();
    this.subscribe((reason) => controller.abort(reason));
    return controller.signal;
  }
}

function parseBody(status: number, data: unknown): TransportResponse {
  if (typeof data !== 'string') return { status, body: data, json: data !== undefined };
  try {
    return { status, body: JSON.parse(data), json: true };
  } catch {
    return { status, body: undefined, json: false };
  }
}
