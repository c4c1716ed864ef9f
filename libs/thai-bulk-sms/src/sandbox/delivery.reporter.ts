import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BoundedHistory } from './bounded.history';
import { DeliveryTargets } from './delivery.targets';
import { formatBangkokTime } from './scheduled-delivery';
import { AcceptedBatch } from './sms.handler';
import { SandboxState } from './sandbox.state';
import { SandboxDeliveryReport, SandboxMessage } from './sandbox.types';

// setTimeout cannot wait longer than this; later reports wait for flushDeliveryReports().
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Characters of the receiver's answer kept with a report (for the inbox): enough to read, bounded. */
export const RESPONSE_BODY_LIMIT = 500;
export const DELIVERY_FAILED_ERROR = 'Undeliverable: the sandbox is configured to fail this number.';
export const NOT_A_TARGET_ERROR = 'not called: not an allowed delivery-report target (deliveryReportTargets)';

interface PendingBatch {
  readonly batch: AcceptedBatch;
  timer?: NodeJS.Timeout;
}

/**
 * Sends the sandbox's delivery reports (docs/vendor-api.md, "Delivery reports"; the payload is
 * ours and documented in the README): one call per message to `callback_url`, GET with a query
 * string, POST/PUT with a body.
 */
export class DeliveryReporter {
  private readonly pending = new Set<PendingBatch>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sent: BoundedHistory<SandboxDeliveryReport>;
  private aborter = new AbortController();

  constructor(
    private readonly state: SandboxState,
    /** Where reports may go (the `deliveryReportTargets` option). */
    readonly targets: DeliveryTargets,
  ) {
    this.sent = new BoundedHistory(state.options.historyLimit);
  }

  schedule(batch: AcceptedBatch): void {
    const entry: PendingBatch = { batch };
    const wait = Math.max(0, batch.dueAt - this.state.now());
    if (wait <= MAX_TIMER_MS) {
      entry.timer = setTimeout(() => {
        this.pending.delete(entry);
        this.track(this.sendBatch(batch));
      }, wait);
    }
    this.pending.add(entry);
  }

  /** Sends every pending report now and waits for all of them, including ones already under way. */
  async flush(): Promise<void> {
    const batches = [...this.pending];
    this.pending.clear();
    for (const entry of batches) {
      if (entry.timer) clearTimeout(entry.timer);
      this.track(this.sendBatch(entry.batch));
    }
    await Promise.all([...this.inFlight]);
  }

  reports(): SandboxDeliveryReport[] {
    return this.sent.toArray();
  }

  /** Cancels what is waiting and aborts what is on the wire. */
  cancel(): void {
    for (const entry of this.pending) if (entry.timer) clearTimeout(entry.timer);
    this.pending.clear();
    this.aborter.abort();
    this.aborter = new AbortController();
  }

  clearHistory(): void {
    this.sent.clear();
  }

  /** What a message's report says; also used to settle messages that asked for no report. */
  outcomeOf(message: SandboxMessage): 'delivered' | 'failed' {
    return this.state.failingNumbers.has(message.phone) ? 'failed' : 'delivered';
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async sendBatch(batch: AcceptedBatch): Promise<void> {
    await Promise.all(batch.messages.map((message) => this.sendOne(batch, message)));
  }

  private async sendOne(batch: AcceptedBatch, message: SandboxMessage): Promise<void> {
    const status = this.outcomeOf(message);
    message.status = status;
    const payload: Record<string, string> = {
      message_id: message.messageId,
      msisdn: message.phone,
      status,
      time: formatBangkokTime(this.state.now()),
    };
    if (status === 'failed') payload.error = DELIVERY_FAILED_ERROR;
    const report = {
      messageId: message.messageId,
      phone: message.phone,
      status,
      time: payload.time,
      url: batch.callbackUrl,
      method: batch.callbackMethod,
    };
    const withError = status === 'failed' ? { ...report, error: DELIVERY_FAILED_ERROR } : report;
    try {
      const { url, body, contentType } = this.encode(batch, payload);
      if (!this.targets.allows(url)) {
        this.sent.push({ ...withError, sendError: NOT_A_TARGET_ERROR });
        return;
      }
      const answer = await sendHttp(url, batch.callbackMethod, body, contentType, this.aborter.signal);
      this.sent.push({
        ...withError,
        responseStatus: answer.status,
        ...(answer.body !== '' && { responseBody: answer.body }),
      });
    } catch (error) {
      this.sent.push({ ...withError, sendError: describeSendError(error) });
    }
  }

  private encode(
    batch: AcceptedBatch,
    payload: Record<string, string>,
  ): { url: URL; body?: string; contentType?: string } {
    const url = new URL(batch.callbackUrl);
    if (batch.callbackMethod === 'GET') {
      // Keeps whatever query the caller put in the URL (e.g. a webhook secret).
      for (const [key, value] of Object.entries(payload)) url.searchParams.set(key, value);
      return { url };
    }
    if (this.state.options.deliveryReportEncoding === 'form') {
      return { url, body: new URLSearchParams(payload).toString(), contentType: 'application/x-www-form-urlencoded' };
    }
    return { url, body: JSON.stringify(payload), contentType: 'application/json' };
  }
}

/**
 * Messages that asked for no report still move on to delivered/failed once their time has come
 * (read lazily, so no timer runs per message); `force` settles them all, as a flush does.
 */
export function settleUnreported(state: SandboxState, reporter: DeliveryReporter, force: boolean): void {
  const now = state.now();
  const delay = state.options.deliveryDelayMs;
  for (const message of state.messages.toArray()) {
    if (message.callbackUrl !== undefined || (message.status !== 'accepted' && message.status !== 'scheduled'))
      continue;
    const from = message.scheduledAt === undefined ? message.receivedAt : Date.parse(message.scheduledAt);
    if (force || now >= from + delay) message.status = reporter.outcomeOf(message);
  }
}

/**
 * node:http rather than fetch: fetch refuses "bad ports" (1, 6000, 10080…) that a developer's
 * webhook may well listen on. Answers the status and the first RESPONSE_BODY_LIMIT characters of
 * the body; the rest is read and dropped.
 */
function sendHttp(
  url: URL,
  method: string,
  body: string | undefined,
  contentType: string | undefined,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (body !== undefined && contentType !== undefined) {
      headers['content-type'] = contentType;
      headers['content-length'] = Buffer.byteLength(body);
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method, headers, signal, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < RESPONSE_BODY_LIMIT) text += chunk.slice(0, RESPONSE_BODY_LIMIT - text.length);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('delivery report timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The error's message and its cause's. Read by shape, not instanceof: under Jest, Node's own
 * errors come from another realm.
 */
function describeSendError(error: unknown): string {
  const messageOf = (value: unknown): string | undefined =>
    typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string'
      ? (value as { message: string }).message
      : undefined;
  const message = messageOf(error) ?? String(error);
  const cause = messageOf((error as { cause?: unknown } | null)?.cause);
  return cause ? `${message}: ${cause}` : message;
}
