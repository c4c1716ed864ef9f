import { getEventListeners } from 'node:events';
import { ThaiBulkSmsAbortedError, ThaiBulkSmsTimeoutError } from '../errors';
import { SANDBOX_DEFAULT_CREDENTIALS, ThaiBulkSmsSandbox } from '../sandbox';
import { rejectionOf } from '../testing/spec-helpers.test-util';
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
  const post = (timeoutMs: number, signal?: AbortSignal) => transport.postForm({ url: `${sandbox.url}/sms`, auth, form, timeoutMs, signal });

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
    expect(await rejectionOf(post(5_000, AbortSignal.timeout(50)))).toBeInstanceOf(ThaiBulkSmsAbortedError);
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
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    sandbox.inject({ kind: 'hang' }, { path: '/sms' }); // the sandbox holds no timer for it
    const inFlight = rejectionOf(post(200));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const during = timers();
    expect(await inFlight).toBeInstanceOf(ThaiBulkSmsTimeoutError);
    const after = timers();
    expect(during).toBeGreaterThan(after);
    expect(after).toBeLessThanOrEqual(before);
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
        [...Object.values(agent.sockets), ...Object.values(agent.freeSockets)].reduce((n, list) => n + (list?.length ?? 0), 0);
      const agents = transport as unknown as Record<'httpAgent' | 'httpsAgent', Parameters<typeof open>[0]>;
      expect(open(agents.httpAgent) + open(agents.httpsAgent)).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});
