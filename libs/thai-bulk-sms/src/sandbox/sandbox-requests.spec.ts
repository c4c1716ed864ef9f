import { request } from 'node:http';
import { basicAuth, call, FakeClock, postJson, postSms, SEND } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

/** A request whose answer never comes (or comes as a reset): resolves once the socket is gone. */
function postAndForget(sandbox: ThaiBulkSmsSandbox, body: string): Promise<string> {
  const { apiKey, apiSecret } = sandbox.credentials;
  return new Promise((resolve) => {
    const req = request(`${sandbox.url}/sms`, {
      method: 'POST',
      headers: { authorization: basicAuth(apiKey, apiSecret), 'content-type': 'application/x-www-form-urlencoded' },
    });
    req.on('response', (res) => resolve(`answered ${res.statusCode}`));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(body);
  });
}

async function waitFor(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(predicate()).toBe(true);
}

describe('sandbox request log', () => {
  const clock = new FakeClock();
  let sandbox: ThaiBulkSmsSandbox;
  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0, clock, maxTps: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('records a handled send with its parsed fields, the sandbox time and the status', async () => {
    await postSms(sandbox, { ...SEND, tag: ['a', 'b'] });
    expect(sandbox.requests()).toEqual([
      {
        path: '/sms',
        method: 'POST',
        receivedAt: clock.now(),
        fields: { ...SEND, tag: 'a,b' },
        fault: undefined,
        status: 201,
        error: undefined,
      },
    ]);
  });

  it('records requests refused by a check, by authentication or for the method, with the error answered', async () => {
    await postSms(sandbox, { ...SEND, message: ' ' });
    await postSms(sandbox, SEND, { auth: basicAuth('nobody', 'wrong') });
    await call(`${sandbox.url}/sms`);
    await call(`${sandbox.url}/sms`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(sandbox.credentials.apiKey, sandbox.credentials.apiSecret),
        'content-type': 'application/json',
      },
      body: '{nope',
    });
    expect(sandbox.requests().map(({ method, status, error, fields }) => ({ method, status, error, fields }))).toEqual([
      { method: 'POST', status: 400, error: 'ERROR_MESSAGE', fields: { ...SEND, message: ' ' } },
      { method: 'POST', status: 401, error: 'ERROR_AUTHENTICATION_FAILED', fields: SEND },
      { method: 'GET', status: 405, error: 'ERROR_METHOD_NOT_ALLOWED', fields: {} },
      // A body that does not parse leaves no fields to show.
      { method: 'POST', status: 400, error: 'ERROR_FORM', fields: undefined },
    ]);
  });

  it('never keeps credentials: no Authorization header, no OTP key or secret', async () => {
    const { apiKey, apiSecret, otpKey, otpSecret } = sandbox.credentials;
    await postSms(sandbox, SEND);
    await postJson(`${sandbox.url}/v2/otp/request`, { key: otpKey, secret: otpSecret, msisdn: '0812345678' });
    await postJson(`${sandbox.url}/v2/otp/verify`, { key: otpKey, secret: otpSecret, token: 'gone', pin: '123456' });
    const requests = sandbox.requests();
    expect(requests.map((r) => [r.path, r.fields, r.error])).toEqual([
      ['/sms', SEND, undefined],
      ['/v2/otp/request', { msisdn: '0812345678' }, undefined],
      ['/v2/otp/verify', { token: 'gone', pin: '123456' }, 'Token is expire.'],
    ]);
    const everything =
      JSON.stringify(requests) + JSON.stringify((await call(`${sandbox.url}/__sandbox/requests`)).json);
    for (const secret of [apiKey, apiSecret, otpKey, otpSecret, basicAuth(apiKey, apiSecret).slice(6)])
      expect(everything).not.toContain(secret);
  });

  it('records faulted requests the handler never saw: vendor error, drop and hang', async () => {
    sandbox.failNext('ERROR_SYSTEM_FAILURE');
    expect((await postSms(sandbox, { ...SEND, message: 'one' })).status).toBe(500);
    sandbox.inject({ kind: 'drop' });
    expect(await postAndForget(sandbox, new URLSearchParams({ ...SEND, message: 'two' }).toString())).toBe(
      'ECONNRESET',
    );
    sandbox.inject({ kind: 'hang' });
    void postAndForget(sandbox, new URLSearchParams({ ...SEND, message: 'three' }).toString());
    // Visible while it still hangs: that is when a test wants to know what arrived.
    await waitFor(() => sandbox.requests().length === 3);
    expect(
      sandbox
        .requests()
        .map(({ fields, fault, status, error }) => ({ message: fields?.message, fault, status, error })),
    ).toEqual([
      { message: 'one', fault: 'vendor-error', status: 500, error: 'ERROR_SYSTEM_FAILURE' },
      { message: 'two', fault: 'drop', status: undefined, error: undefined },
      { message: 'three', fault: 'hang', status: undefined, error: undefined },
    ]);
    expect(sandbox.messages()).toHaveLength(0);
  });

  it('records the status a slow fault will answer as soon as the request arrives', async () => {
    sandbox.inject({ kind: 'slow', delayMs: 50 });
    const answer = postSms(sandbox, SEND);
    await waitFor(() => sandbox.requests().length === 1);
    expect(sandbox.requests()[0]).toMatchObject({ fault: 'slow', status: 201 });
    expect((await answer).status).toBe(201);
  });

  it('filters by path, serves the log newest first at /__sandbox/requests, and leaves its own endpoints out', async () => {
    await postSms(sandbox, { ...SEND, message: 'first' });
    await call(`${sandbox.url}/credit`, {
      headers: { authorization: basicAuth(sandbox.credentials.apiKey, sandbox.credentials.apiSecret) },
    });
    await postSms(sandbox, { ...SEND, message: 'second' });
    await call(`${sandbox.url}/__sandbox/messages`);
    await call(`${sandbox.url}/nowhere`);
    expect(sandbox.requests({ path: '/sms' }).map((r) => r.fields?.message)).toEqual(['first', 'second']);
    const served = await call(`${sandbox.url}/__sandbox/requests?limit=2`);
    expect(served.json.total).toBe(3);
    expect(served.json.requests.map((r: { path: string }) => r.path)).toEqual(['/sms', '/credit']);
    sandbox.reset();
    expect(sandbox.requests()).toEqual([]);
  });
});

describe('sandbox request log limits', () => {
  it('records requests refused over the TPS limit, with what they carried', async () => {
    const clock = new FakeClock();
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, clock, maxTps: 1 });
    try {
      await postSms(sandbox, { ...SEND, message: 'in time' });
      await postSms(sandbox, { ...SEND, message: 'too many' });
      expect(sandbox.requests().map(({ fields, status, error }) => [fields?.message, status, error])).toEqual([
        ['in time', 201, undefined],
        ['too many', 429, 'ERROR_TOO_MANY_REQUESTS'],
      ]);
    } finally {
      await sandbox.close();
    }
  });

  it('keeps only the newest historyLimit requests', async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, maxTps: 0, historyLimit: 2 });
    try {
      for (const message of ['a', 'b', 'c']) await postSms(sandbox, { ...SEND, message });
      expect(sandbox.requests().map((r) => r.fields?.message)).toEqual(['b', 'c']);
    } finally {
      await sandbox.close();
    }
  });
});
