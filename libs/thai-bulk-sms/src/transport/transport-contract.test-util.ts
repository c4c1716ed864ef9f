import { getEventListeners } from 'node:events';
import { createServer } from 'node:net';
import {
  ThaiBulkSmsAbortedError,
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsResponseTooLargeError,
  ThaiBulkSmsTimeoutError,
} from '../errors';
import { SANDBOX_DEFAULT_CREDENTIALS, ThaiBulkSmsSandbox } from '../sandbox';
import { everythingAbout, rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { hugeBody, RawHttpServer, startRawHttpServer, trickleForever } from './raw-http-server.test-util';
import { ThaiBulkSmsTransport } from './thai-bulk-sms.transport';

export interface TransportUnderTest {
  /** A fresh transport, as a registration makes it. */
  create(): ThaiBulkSmsTransport & { onApplicationShutdown(): void };
  /** The transport's body cap in bytes, when it has one (larger answers must be refused). */
  readonly maxResponseBytes?: number;
}

const auth = { username: SANDBOX_DEFAULT_CREDENTIALS.apiKey, password: SANDBOX_DEFAULT_CREDENTIALS.apiSecret };
const form = { message: 'hi', sender: 'SMS.', force: 'standard', msisdn: '66812345678' };
const SECRETS = [auth.password, Buffer.from(`${auth.username}:${auth.password}`).toString('base64')];

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The transport contract (thai-bulk-sms.transport.ts), run against real servers: the sandbox for
 * answers, bare node:http servers for the wire faults. Every transport the library ships runs it.
 */
export function describeTransportContract(name: string, subject: TransportUnderTest): void {
  describe(`${name}: the transport contract`, () => {
    let sandbox: ThaiBulkSmsSandbox;
    let transport: ReturnType<TransportUnderTest['create']>;
    let raw: RawHttpServer | undefined;
    const post = (url: string, timeoutMs: number, signal?: AbortSignal) =>
      transport.postForm({ url, auth, form, timeoutMs, signal });
    const postSms = (timeoutMs: number, signal?: AbortSignal) => post(`${sandbox.url}/sms`, timeoutMs, signal);

    beforeAll(async () => {
      sandbox = await ThaiBulkSmsSandbox.start({ port: 0, maxTps: 0 });
      transport = subject.create();
    });
    afterAll(async () => {
      transport.onApplicationShutdown();
      await sandbox.close();
    });
    beforeEach(() => sandbox.reset());
    afterEach(async () => {
      await raw?.close();
      raw = undefined;
    });

    it('sends a form with Basic auth and reads the JSON answer', async () => {
      const answer = await postSms(5_000);
      expect(answer).toMatchObject({
        status: 201,
        json: true,
        body: { phone_number_list: [{ number: '66812345678' }] },
      });
      expect(sandbox.requests()[0].fields).toMatchObject(form);
    });

    it('gets JSON and posts JSON', async () => {
      expect(await transport.getJson({ url: `${sandbox.url}/credit`, auth, timeoutMs: 5_000 })).toMatchObject({
        status: 200,
        json: true,
      });
      const { otpKey: key, otpSecret: secret } = SANDBOX_DEFAULT_CREDENTIALS;
      const otp = await transport.postJson({
        url: `${sandbox.url}/v2/otp/request`,
        body: { key, secret, msisdn: '66812345678' },
        timeoutMs: 5_000,
      });
      expect(otp).toMatchObject({ json: true, body: { token: expect.any(String) } });
    });

    it('resolves every HTTP answer, whatever its status, and marks one that is not JSON', async () => {
      sandbox.failNext('ERROR_SYSTEM_FAILURE', { path: '/sms' });
      expect(await postSms(5_000)).toMatchObject({ status: 500, json: true, body: { error: expect.any(Object) } });
      sandbox.inject({ kind: 'html-502' }, { path: '/sms' });
      expect(await postSms(5_000)).toEqual({ status: 502, body: undefined, json: false });
    });

    it('leaves no listener on a long-lived caller signal', async () => {
      const controller = new AbortController();
      for (let i = 0; i < 5; i++) expect(await postSms(5_000, controller.signal)).toMatchObject({ status: 201 });
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('times out while waiting for headers (hang)', async () => {
      raw = await startRawHttpServer((req) => req.resume());
      const started = Date.now();
      const error = await rejectionOf(post(raw.url, 100));
      expect(error).toBeInstanceOf(ThaiBulkSmsTimeoutError);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(raw.received).toBe(1);
    });

    it('times out while the body trickles in (a total deadline, not an idle one)', async () => {
      raw = await startRawHttpServer(trickleForever(10));
      const started = Date.now();
      expect(await rejectionOf(post(raw.url, 150))).toBeInstanceOf(ThaiBulkSmsTimeoutError);
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('is aborted by the caller while the body trickles in, and the listener is removed', async () => {
      const controller = new AbortController();
      raw = await startRawHttpServer(trickleForever(10, (sent) => sent === 5 && controller.abort()));
      const error = await rejectionOf(post(raw.url, 5_000, controller.signal));
      expect(error).toMatchObject({ constructor: ThaiBulkSmsAbortedError, requestMayHaveArrived: true });
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('is aborted by the caller while waiting for headers (it may have arrived)', async () => {
      raw = await startRawHttpServer((req) => req.resume());
      const controller = new AbortController();
      const pending = rejectionOf(post(raw.url, 5_000, controller.signal));
      await raw.arrivals(1);
      controller.abort();
      expect(await pending).toMatchObject({ constructor: ThaiBulkSmsAbortedError, requestMayHaveArrived: true });
    });

    it('sends nothing for a signal that is already aborted', async () => {
      expect(await rejectionOf(postSms(5_000, AbortSignal.abort()))).toBeInstanceOf(ThaiBulkSmsAbortedError);
      expect(requestCount(sandbox, '/sms')).toBe(0);
    });

    it('times each exchange out at its own deadline when several share one timeout', async () => {
      sandbox.inject({ kind: 'hang' }, { path: '/sms' });
      const timed = () => {
        const started = Date.now();
        return rejectionOf(postSms(300)).then((error) => ({ error, elapsed: Date.now() - started }));
      };
      const first = timed();
      // One that answers after 80 ms, in between: the second starts well after the first.
      sandbox.inject({ kind: 'slow', delayMs: 80 }, { path: '/sms' });
      expect(await postSms(300)).toMatchObject({ status: 201 });
      sandbox.inject({ kind: 'hang' }, { path: '/sms' });
      const second = timed();
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
        const inFlight = rejectionOf(postSms(4_321, controller.signal));
        // Aborted only once the sandbox holds it, so the hang is spent on this exchange.
        while (requestCount(sandbox, '/sms') === 0) await new Promise((resolve) => setImmediate(resolve));
        const [timer] = deadlineTimers();
        expect(deadlineTimers()).toHaveLength(1);
        expect(timer.hasRef()).toBe(true);
        controller.abort();
        expect(await inFlight).toBeInstanceOf(ThaiBulkSmsAbortedError);
        // Still armed for the list's next exchange, but it no longer holds the process.
        expect(timer.hasRef()).toBe(false);
        const answered = postSms(4_321);
        expect(timer.hasRef()).toBe(true);
        expect(await answered).toMatchObject({ status: 201 });
        expect(timer.hasRef()).toBe(false);
        expect(deadlineTimers()).toEqual([timer]); // one timer for both exchanges
      } finally {
        armed.mockRestore();
      }
    });

    it('fails a dropped connection as a network error that may have arrived, without secrets', async () => {
      raw = await startRawHttpServer((req) => req.socket.destroy());
      const error = await rejectionOf(post(raw.url, 5_000));
      expect(error).toMatchObject({
        constructor: ThaiBulkSmsNetworkError,
        networkCode: 'ECONNRESET',
        requestMayHaveArrived: true,
      });
      for (const secret of SECRETS) expect(everythingAbout(error)).not.toContain(secret);
    });

    it('fails a refused connection as never sent', async () => {
      const error = await rejectionOf(post(`http://127.0.0.1:${await closedPort()}/sms`, 5_000));
      expect(error).toMatchObject({
        constructor: ThaiBulkSmsNetworkError,
        networkCode: 'ECONNREFUSED',
        requestMayHaveArrived: false,
      });
      for (const secret of SECRETS) expect(everythingAbout(error)).not.toContain(secret);
    });

    it('fails a name that does not resolve as never sent', async () => {
      // .invalid never resolves (RFC 6761); offline resolvers answer EAI_AGAIN instead of ENOTFOUND.
      const error = await rejectionOf(post('http://thaibulksms-contract.invalid/sms', 5_000));
      expect(error).toMatchObject({ constructor: ThaiBulkSmsNetworkError, requestMayHaveArrived: false });
      expect(['ENOTFOUND', 'EAI_AGAIN']).toContain((error as ThaiBulkSmsNetworkError).networkCode);
    });

    const { maxResponseBytes } = subject;
    const withCap = maxResponseBytes === undefined ? it.skip : it;
    describe.each([
      ['without a declared length', false],
      ['with a declared length', true],
    ])('an answer larger than the body cap, %s', (_label, declared) => {
      withCap('is refused as too large and its connection cut, not buffered whole', async () => {
        let onCut!: (cut: boolean) => void;
        const cut = new Promise<boolean>((resolve) => (onCut = resolve));
        raw = await startRawHttpServer(hugeBody(8 * maxResponseBytes!, declared, onCut));
        const error = await rejectionOf(post(raw.url, 10_000));
        expect(error).toMatchObject({
          constructor: ThaiBulkSmsResponseTooLargeError,
          errorName: 'ERROR_UPSTREAM_RESPONSE_TOO_LARGE',
          limitBytes: maxResponseBytes,
          requestMayHaveArrived: true,
        });
        expect(await cut).toBe(true);
      });
    });

    it('at shutdown lets a send in flight finish, still sends afterwards, and leaves no connection open', async () => {
      const own = subject.create();
      let held: (() => void) | undefined;
      let hold = false;
      raw = await startRawHttpServer((req, res) => {
        req.resume();
        const answer = () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
        if (hold) held = answer;
        else answer();
      });
      const send = () => own.postForm({ url: raw!.url, auth, form, timeoutMs: 5_000 });
      expect(await send()).toMatchObject({ status: 201 }); // leaves an idle keep-alive connection
      hold = true;
      const inFlight = send();
      await raw.arrivals(2);
      hold = false;
      own.onApplicationShutdown();
      held!();
      expect(await inFlight).toEqual({ status: 201, body: { ok: true }, json: true });
      expect(await send()).toMatchObject({ status: 201 }); // still usable, without keep-alive
      await raw.drained();
      expect(raw.openConnections).toBe(0);
    });
  });
}
