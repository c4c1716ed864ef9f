import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the ThaiBulkSMS API that answers whatever a test tells it to, for the answers the
 * sandbox never gives (a 201 that lists the wrong numbers, an error envelope with an odd status, a
 * body of hundreds of megabytes). It listens on 127.0.0.1, port 0.
 *
 * ```ts
 * const upstream = await FakeUpstream.start();
 * upstream.answer('/sms', { status: 201, json: {} });                       // fixed
 * upstream.answer('/sms', (req) => ({ status: 201, json: accepting(req.msisdns.slice(1)) })); // scripted
 * upstream.answer('/sms', { status: 201, streamBytes: 64 * 1024 * 1024 });   // a huge body, written lazily
 * // point the app or the module at upstream.url; then upstream.count('/sms'), upstream.requests
 * await upstream.close();
 * ```
 *
 * Without an answer set, `POST /sms` accepts every number (as the vendor's 201) and `GET /credit`
 * answers a balance. Authentication is not checked: the requests are recorded for the test to look at.
 */
export class FakeUpstream {
  /** Every request received, in order. */
  readonly requests: FakeRequest[] = [];
  /** Bytes of body written by `streamBytes` answers before they ended or the client went away. */
  streamedBytes = 0;
  private readonly answers = new Map<string, FakeAnswer | ((request: FakeRequest) => FakeAnswer)>();

  private readonly server: Server = createServer((req, res) => void this.handle(req, res));
  private baseUrl = '';

  private constructor() {}

  static async start(): Promise<FakeUpstream> {
    const upstream = new FakeUpstream();
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    upstream.baseUrl = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
    return upstream;
  }

  /** `http://127.0.0.1:<port>`: the base URL to configure. */
  get url(): string {
    return this.baseUrl;
  }

  /** Sets the answer for a path (`/sms`, `/credit`, …): fixed, or computed from each request. */
  answer(path: string, answer: FakeAnswer | ((request: FakeRequest) => FakeAnswer)): this {
    this.answers.set(path, answer);
    return this;
  }

  /** Requests received, for one path or all. */
  count(path?: string): number {
    return path === undefined ? this.requests.length : this.requests.filter((r) => r.path === path).length;
  }

  /** Forgets the requests and the answers set. */
  reset(): void {
    this.requests.length = 0;
    this.answers.clear();
    this.streamedBytes = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', this.url).pathname;
    const form = readForm(text, req.headers['content-type']);
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path,
      form,
      msisdns: form.msisdn ? form.msisdn.split(',') : [],
    };
    this.requests.push(request);
    const set = this.answers.get(path);
    const answer = typeof set === 'function' ? set(request) : (set ?? defaultAnswer(request));
    if (answer.streamBytes !== undefined) return this.stream(res, answer.status, answer.streamBytes);
    const body = answer.text ?? JSON.stringify(answer.json ?? null);
    res.writeHead(answer.status, { 'content-type': answer.text === undefined ? 'application/json' : 'text/plain' });
    res.end(body);
  }

  /** A JSON-looking body of `total` bytes, written only as fast as the client reads it. */
  private stream(res: ServerResponse, status: number, total: number): void {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.write('{"x":"');
    let left = total;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= part.length;
        this.streamedBytes += part.length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end('"}');
    };
    res.on('error', () => undefined);
    pump();
  }
}

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  /** The form (or JSON object) fields, as strings. */
  readonly form: Readonly<Record<string, string>>;
  /** `msisdn` split at its commas, as sent. */
  readonly msisdns: readonly string[];
}

export interface FakeAnswer {
  readonly status: number;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as it is (text/plain), instead of `json`. */
  readonly text?: string;
  /** Instead of a body: this many bytes of one long JSON string, written as the client reads. */
  readonly streamBytes?: number;
}

/** The vendor's 201 for a send that accepted `numbers`, one credit each. */
export function accepting(numbers: readonly string[], remainingCredit = 1_000): Record<string, unknown> {
  return {
    remaining_credit: remainingCredit,
    total_use_credit: numbers.length,
    credit_type: 'standard',
    phone_number_list: numbers.map((number, i) => ({ number, message_id: `fake${i}`, used_credit: 1 })),
    bad_phone_number_list: [],
  };
}

function defaultAnswer(request: FakeRequest): FakeAnswer {
  if (request.path === '/credit') return { status: 200, json: { remaining_credit: { standard: 1_000, corporate: 0 } } };
  if (request.path === '/sms') return { status: 201, json: accepting(request.msisdns) };
  return { status: 404, json: { error: { code: 404, name: 'ERROR_NOT_FOUND', description: 'Not Found.' } } };
}

function readForm(text: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}
