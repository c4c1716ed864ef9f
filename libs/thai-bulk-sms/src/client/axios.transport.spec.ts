import { getEventListeners } from 'node:events';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ThaiBulkSmsAbortedError, ThaiBulkSmsResponseTooLargeError, ThaiBulkSmsTimeoutError } from '../errors';
import { MAX_RESPONSE_BODY_BYTES } from '../thai-bulk-sms.constants';
import { SANDBOX_DEFAULT_CREDENTIALS, ThaiBulkSmsSandbox } from '../sandbox';
import { rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { AxiosThaiBulkSmsTransport } from './axios.transport';

/**
 * The default transport on its own: the total deadline and the caller's signal end the exchange
 * at every stage (before the request, while waiting for headers, while the body trickles in),
 * and a long-lived caller signal keeps no listener once an exchange is over.
 */
describe('AxiosThaiBulkSmsTransport deadline and abort', () => {
  let sandbox: ThaiBulkSmsSandbox;
  let transport: AxiosThaiBulkSmsTransport;
  const auth = { username: SANDBOX_DEFAULT_CREDENTIALS.apiKey, password: SANDBOX_DEFAULT_CREDENTIALS.apiSecret };
  const form = { message: 'hi', sender: 'SMS.', force: 'standard', msisdn: '66812345678' };
  const post = (timeoutMs: number, signal?: AbortSignal) =>
    transport.postForm({ url: `${sandbox.url}/sms`, auth, form, timeoutMs, signal });

  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0, maxTps: 0 });
    transport = new AxiosThaiBulkSmsTransport();
  });
  afterAll(async () => {
    transport.onApplicationShutdown();
    await sandbox.close();
  });
  beforeEach(() => sandbox.reset());

  it('answers normally and leaves no listener on a long-lived caller signal', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 5; i++) expect(await post(5_000, controller.signal)).toMatchObject({ status: 201, json: true });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('times out while waiting for headers (hang)', async () => {
    sandbox.inject({ kind: 'hang' }, { path: '/sms' });
    const started = Date.now();
    expect(await rejectionOf(post(100))).toBeInstanceOf(ThaiBulkSmsTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('times out while the body trickles in (headers already arrived)', async () => {
    sandbox.inject({ kind: 'trickle', chunkDelayMs: 40, chunkBytes: 1 }, { path: '/sms' });
    const started = Date.now();
    expect(await rejectionOf(post(150))).toBeInstanceOf(ThaiBulkSmsTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('is aborted by the caller while the body trickles in, and the listener is removed', async () => {
    sandbox.inject({ kind: 'trickle', chunkDelayMs: 40, chunkBytes: 1 }, { path: '/sms' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    expect(await rejectionOf(post(5_000, controller.signal))).toBeInstanceOf(ThaiBulkSmsAbortedError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted by the caller while waiting for headers', async () => {
    sandbox.inject({ kind: 'hang' }, { path: '/sms' });
    // In flight when aborted: it may have reached the API.
    expect(await rejectionOf(post(5_000, AbortSignal.timeout(50)))).toMatchObject({
      constructor: ThaiBulkSmsAbortedError,
      requestMayHaveArrived: true,
    });
  });

  it('times each exchange out at its own deadline when several share one timeout', async () => {
    sandbox.inject({ kind: 'hang' }, { path: '/sms' });
    const firstStarted = Date.now();
    const first = rejectionOf(post(300)).then((error) => ({ error, elapsed: Date.now() - firstStarted }));
    await new Promise((resolve) => setTimeout(resolve, 75));
    expect(await post(300)).toMatchObject({ status: 201 }); // one that answers at once, in between
    await new Promise((resolve) => setTimeout(resolve, 75));
    sandbox.inject({ kind: 'hang' }, { path: '/sms' });
    const secondStarted = Date.now();
    const second = rejectionOf(post(300)).then((error) => ({ error, elapsed: Date.now() - secondStarted }));
    for (const { error, elapsed } of await Promise.all([first, second])) {
      expect(error).toBeInstanceOf(ThaiBulkSmsTimeoutError);
      expect(elapsed).toBeGreaterThanOrEqual(295);
      expect(elapsed).toBeLessThan(1_000);
    }
  });

  it('keeps the process alive while an exchange is in flight, and not once it is over', async () => {
    // Watches the timers the transport arms (setTimeout passes through unchanged): counting all
    // of the process's timers instead was upset by Jest's own.
    const armed = jest.spyOn(global, 'setTimeout');
    try {
      const deadlineTimers = () =>
        armed.mock.calls.flatMap(([, ms], i) =>
          typeof ms === 'number' && ms > 4_000 && ms <= 4_321 ? [armed.mock.results[i].value as NodeJS.Timeout] : [],
        );
      sandbox.inject({ kind: 'hang' }, { path: '/sms' });
      const controller = new AbortController();
      const inFlight = rejectionOf(post(4_321, controller.signal));
      // Aborted only once the sandbox holds it, so the hang is spent on this exchange.
      while (requestCount(sandbox, '/sms') === 0) await new Promise((resolve) => setImmediate(resolve));
      const [timer] = deadlineTimers();
      expect(deadlineTimers()).toHaveLength(1);
      expect(timer.hasRef()).toBe(true);
      controller.abort();
      expect(await inFlight).toBeInstanceOf(ThaiBulkSmsAbortedError);
      // Still armed for the list's next exchange, but it no longer holds the process.
      expect(timer.hasRef()).toBe(false);
      const answered = post(4_321);
      expect(timer.hasRef()).toBe(true);
      expect(await answered).toMatchObject({ status: 201 });
      expect(timer.hasRef()).toBe(false);
      expect(deadlineTimers()).toEqual([timer]); // one timer for both exchanges
    } finally {
      armed.mockRestore();
    }
  });

  it('sends nothing for a signal that is already aborted', async () => {
    expect(await rejectionOf(post(5_000, AbortSignal.abort()))).toBeInstanceOf(ThaiBulkSmsAbortedError);
    expect(sandbox.stats().requests['/sms'] ?? 0).toBe(0);
  });
});

describe('AxiosThaiBulkSmsTransport at shutdown', () => {
  const auth = { username: SANDBOX_DEFAULT_CREDENTIALS.apiKey, password: SANDBOX_DEFAULT_CREDENTIALS.apiSecret };
  const form = { message: 'hi', sender: 'SMS.', force: 'standard', msisdn: '66812345678' };

  it('lets a send in flight finish, then leaves no socket open', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, maxTps: 0 });
    const transport = new AxiosThaiBulkSmsTransport();
    const post = () => transport.postForm({ url: `${sandbox.url}/sms`, auth, form, timeoutMs: 5_000 });
    try {
      await post(); // leaves one idle keep-alive socket
      sandbox.inject({ kind: 'slow', delayMs: 150 }, { path: '/sms' });
      const inFlight = post();
      await new Promise((resolve) => setTimeout(resolve, 30)); // the request is on the wire
      transport.onApplicationShutdown();
      expect(await inFlight).toMatchObject({ status: 201 });
      expect(sandbox.stats().requests['/sms']).toBe(2);
      expect(await post()).toMatchObject({ status: 201 }); // still usable, without keep-alive
      await new Promise((resolve) => setTimeout(resolve, 20)); // sockets leave the lists on 'close'
      const open = (agent: { sockets: NodeJS.ReadOnlyDict<unknown[]>; freeSockets: NodeJS.ReadOnlyDict<unknown[]> }) =>
        [...Object.values(agent.sockets), ...Object.values(agent.freeSockets)].reduce(
          (n, list) => n + (list?.length ?? 0),
          0,
        );
      const agents = transport as unknown as Record<'httpAgent' | 'httpsAgent', Parameters<typeof open>[0]>;
      expect(open(agents.httpAgent) + open(agents.httpsAgent)).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});

describe('AxiosThaiBulkSmsTransport with an oversized answer', () => {
  // A server whose answer is `size` bytes, written only as fast as the client reads it.
  let server: Server;
  let url: string;
  let size = 0;
  let written = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.on('error', () => undefined);
        const chunk = Buffer.alloc(16 * 1024, 'a');
        let left = size - 8;
        res.write('{"x":"');
        const pump = () => {
          while (left > 0 && !res.destroyed) {
            const part = chunk.subarray(0, Math.min(left, chunk.length));
            left -= part.length;
            written += part.length;
            if (!res.write(part)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end('"}');
        };
        pump();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (transport: AxiosThaiBulkSmsTransport) =>
    transport.postForm({ url, form: { msisdn: '66812345678' }, timeoutMs: 10_000 });

  it('reads an answer up to MAX_RESPONSE_BODY_BYTES', async () => {
    const transport = new AxiosThaiBulkSmsTransport();
    size = MAX_RESPONSE_BODY_BYTES;
    await expect(post(transport)).resolves.toMatchObject({ status: 201, json: true });
    transport.onApplicationShutdown();
  });

  it('stops reading past it: ThaiBulkSmsResponseTooLargeError, and the request may have arrived', async () => {
    const transport = new AxiosThaiBulkSmsTransport();
    size = 64 * MAX_RESPONSE_BODY_BYTES;
    written = 0;
    const error = await rejectionOf(post(transport));
    expect(error).toBeInstanceOf(ThaiBulkSmsResponseTooLargeError);
    expect(error).toMatchObject({
      errorName: 'ERROR_UPSTREAM_RESPONSE_TOO_LARGE',
      category: 'upstream',
      limitBytes: MAX_RESPONSE_BODY_BYTES,
      requestMayHaveArrived: true,
    });
    // The server could write the cap plus what the sockets buffer, not the 64 MiB.
    expect(written).toBeLessThan(16 * MAX_RESPONSE_BODY_BYTES);
    // The connection was dropped, not kept for the next request with a body still in it.
    size = 100;
    await expect(post(transport)).resolves.toMatchObject({ status: 201 });
    transport.onApplicationShutdown();
  });
});
