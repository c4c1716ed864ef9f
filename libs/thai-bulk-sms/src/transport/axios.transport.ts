import { HttpService } from '@nestjs/axios';
import { Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import axios, { AxiosInstance, AxiosRequestConfig, Cancel, CancelToken } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import { ThaiBulkSmsError } from '../errors';
import { MAX_RESPONSE_BODY_BYTES } from '../thai-bulk-sms.constants';
import { DeadlineEntry, DeadlineList, DeadlineLists } from './deadline-list';
import { ThaiBulkSmsTransport, TransportRequest, TransportResponse } from './thai-bulk-sms.transport';
import { AbortReason, transportError } from './transport-error.mapper';

const identity = (data: unknown) => data;
const validateStatus = () => true;
// Shared, never mutated: axios copies headers into its own AxiosHeaders per request.
const FORM_HEADERS = Object.freeze({ 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' });
const JSON_HEADERS = Object.freeze({ 'Content-Type': 'application/json', Accept: 'application/json' });
const ACCEPT_JSON = Object.freeze({ Accept: 'application/json' });

/**
 * What the transport contract needs of every request: the body read as text (parsed here, so an
 * HTML error page is not an exception), any status accepted, no redirect followed, reading
 * stopped past MAX_RESPONSE_BODY_BYTES (axios destroys the stream there).
 */
const CONTRACT_SETTINGS = Object.freeze({
  responseType: 'text',
  transformResponse: identity,
  validateStatus,
  maxRedirects: 0,
  maxContentLength: MAX_RESPONSE_BODY_BYTES,
} satisfies AxiosRequestConfig);

/**
 * The default transport, on axios. When the app's @nestjs/axios `HttpService` is visible to the
 * registration (`HttpModule` in forRootAsync's `imports`, or registered globally), its axios
 * instance carries the requests, so the app's axios configuration (proxy, agents, headers) and
 * interceptors apply; the contract's settings are given per request and always win. Without one,
 * an axios instance of its own. Keep-alive agents are owned by this registration and released
 * with it (see onApplicationShutdown). The timeout is a total deadline (DeadlineCancelToken), not
 * axios' socket-idle timeout, so a body that trickles in byte by byte still times out.
 */
@Injectable()
export class AxiosThaiBulkSmsTransport extends ThaiBulkSmsTransport implements OnApplicationShutdown {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  /** The deadlines of the exchanges in flight, one list per timeout (see DeadlineList). */
  private readonly deadlines = new DeadlineLists();
  private readonly axios: AxiosInstance;
  /** Per-request settings over the app's instance; undefined on our own (they are its defaults). */
  private readonly overrides: AxiosRequestConfig | undefined;

  constructor(@Optional() httpService?: HttpService) {
    super();
    if (httpService) {
      // axios types its agents as `any`: these are the app's, when it set any.
      const { httpAgent, httpsAgent } = httpService.axiosRef.defaults as {
        httpAgent?: http.Agent;
        httpsAgent?: https.Agent;
      };
      this.axios = httpService.axiosRef;
      this.overrides = {
        ...CONTRACT_SETTINGS,
        httpAgent: httpAgent ?? this.httpAgent,
        httpsAgent: httpsAgent ?? this.httpsAgent,
      };
    } else {
      this.axios = axios.create({ ...CONTRACT_SETTINGS, httpAgent: this.httpAgent, httpsAgent: this.httpsAgent });
      this.overrides = undefined;
    }
  }

  postForm(
    request: TransportRequest & { readonly form: Readonly<Record<string, string>> },
  ): Promise<TransportResponse> {
    // From the pairs, not the record: the same string, without a property descriptor read per key.
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
    const cancelToken = new DeadlineCancelToken(this.deadlines.forTimeout(request.timeoutMs), request.signal);
    try {
      const { auth } = request;
      const config: AxiosRequestConfig = {
        method,
        url: request.url,
        headers,
        data,
        auth: auth ? { username: auth.username, password: auth.password } : undefined,
        cancelToken,
      };
      const response = await this.axios.request<string>(this.overrides ? { ...this.overrides, ...config } : config);
      return parseBody(response.status, response.data);
    } catch (error) {
      if (error instanceof ThaiBulkSmsError) throw error;
      throw transportError(error, cancelToken.abortedBy, request.timeoutMs, MAX_RESPONSE_BODY_BYTES);
    } finally {
      cancelToken.finish();
    }
  }
}

/**
 * One exchange's cancel token (axios' `CancelToken` interface: axios subscribes when the request
 * starts, rejects it with a CanceledError and destroys the socket when the token fires, at any
 * stage, the body included), fired by the total deadline or by the caller's signal. It links
 * itself into a DeadlineList instead of holding a timer or an AbortSignal of its own, which cost
 * a measurable share of a send (bench/RESULTS.md, "Deadlines").
 */
class DeadlineCancelToken implements CancelToken, DeadlineEntry {
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
