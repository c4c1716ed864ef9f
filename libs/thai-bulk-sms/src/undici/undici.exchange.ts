import type { Dispatcher } from 'undici';
import { DeadlineEntry, DeadlineList } from '../transport/deadline-list';
import { TransportResponse } from '../transport/thai-bulk-sms.transport';
import { AbortReason, transportError } from '../transport/transport-error.mapper';
import { ThaiBulkSmsResponseTooLargeError } from '../errors';

type Controller = Dispatcher.DispatchController;

/**
 * One request on undici's dispatcher, and everything that can end it: the answer, a network
 * error, the total deadline (linked into a DeadlineList), the caller's signal (listened to as an
 * EventListener object, so no closure and no AbortController per request) and the body cap. One
 * object per request, settled exactly once; whatever ends it first wins, and the socket of an
 * exchange ended early is aborted, at whatever stage it is, the body included.
 */
export class UndiciExchange implements Dispatcher.DispatchHandler, DeadlineEntry {
  readonly due: number;
  prev: DeadlineEntry | undefined;
  next: DeadlineEntry | undefined;
  linked = false;
  readonly promise: Promise<TransportResponse>;
  private resolve!: (response: TransportResponse) => void;
  private reject!: (error: unknown) => void;
  private settled = false;
  private controller: Controller | undefined;
  /** Why the exchange was cut short by this side; the request is aborted with it. */
  private stopReason: Error | undefined;
  private status = 0;
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  constructor(
    private readonly list: DeadlineList,
    private readonly signal: AbortSignal | undefined,
    private readonly maxBodyBytes: number,
  ) {
    this.promise = new Promise<TransportResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.due = performance.now() + list.timeoutMs;
    list.add(this);
    signal?.addEventListener('abort', this, { once: true });
  }

  /** The caller's signal fired. */
  handleEvent(): void {
    this.stop('caller');
  }

  onDeadline(): void {
    this.stop('timeout');
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    // Ended while it waited for a connection: it never leaves.
    if (this.stopReason) controller.abort(this.stopReason);
  }

  onResponseStart(controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>) {
    if (statusCode < 200) return; // 1xx: the answer is still to come
    this.status = statusCode;
    const declared = Number(headers['content-length']);
    if (declared > this.maxBodyBytes) this.tooLarge(controller);
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.settled) return;
    this.bytes += chunk.length;
    if (this.bytes > this.maxBodyBytes) return this.tooLarge(controller);
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const { chunks } = this;
    const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, this.bytes).toString('utf8');
    this.settle();
    this.resolve(parseBody(this.status, text));
  }

  onResponseError(_controller: Controller, error: Error): void {
    // After a stop this is the abort coming back: the exchange is settled already.
    if (this.settled) return;
    this.settle();
    this.reject(transportError(error, undefined, this.list.timeoutMs));
  }

  /** Ends the exchange from this side (deadline or caller) and aborts its request. */
  private stop(by: Exclude<AbortReason, undefined>): void {
    if (this.settled) return;
    const reason = new Error(by === 'timeout' ? 'deadline passed' : 'aborted by the caller');
    reason.name = 'AbortError';
    this.stopReason = reason;
    this.settle();
    this.reject(transportError(reason, by, this.list.timeoutMs));
    this.controller?.abort(reason);
  }

  /**
   * An answer over the cap is not buffered: the connection is cut and the answer reported as one
   * we cannot read, so a runaway upstream body costs memory only up to the cap.
   */
  private tooLarge(controller: Controller): void {
    if (this.settled) return;
    const reason = new Error(`response body over ${this.maxBodyBytes} bytes`);
    this.stopReason = reason;
    this.settle();
    this.chunks.length = 0;
    this.reject(new ThaiBulkSmsResponseTooLargeError(this.maxBodyBytes));
    controller.abort(reason);
  }

  private settle(): void {
    this.settled = true;
    this.list.remove(this);
    this.signal?.removeEventListener('abort', this);
  }
}

function parseBody(status: number, text: string): TransportResponse {
  try {
    return { status, body: JSON.parse(text), json: true };
  } catch {
    return { status, body: undefined, json: false };
  }
}
