import { request } from 'node:http';
import { ERROR_CATALOGUE } from '../errors/error-catalogue';
import { basicAuth, call, FakeClock, postJson, postSms, SEND } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

/** Raw HTTP, to see how a body arrives (fetch hides the chunks). */
function rawPost(
  url: string,
  auth: string,
  body: string,
): Promise<{ status: number; chunks: Buffer[]; firstByteMs: number; totalMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        const firstByteMs = Date.now() - started;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, chunks, firstByteMs, totalMs: Date.now() - started }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('sandbox fault injection', () => {
  const randoms: number[] = [];
  let sandbox: ThaiBulkSmsSandbox;
  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0, maxTps: 0, random: () => randoms.shift() ?? 0.99 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('failNext answers the vendor error with the catalogue status once, without handling the request', async () => {
    sandbox.failNext('ERROR_SYSTEM_FAILURE');
    const failed = await postSms(sandbox, SEND);
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({ error: { code: 1, name: 'ERROR_SYSTEM_FAILURE', description: 'System Failure.' } });
    expect(sandbox.messages()).toHaveLength(0);
    expect(sandbox.credits().standard).toBe(10000);
    expect((await postSms(sandbox, SEND)).status).toBe(201);
    expect(sandbox.stats().requests['/sms']).toBe(2);
  });

  it('failNext takes times and a path', async () => {
    sandbox.failNext('ERROR_API_KEY_SUSPENDED', { times: 2, path: '/sms' });
    const { apiKey, apiSecret } = sandbox.credentials;
    expect(
      (await call(`${sandbox.url}/credit`, { headers: { authorization: basicAuth(apiKey, apiSecret) } })).status,
    ).toBe(200);
    for (let i = 0; i < 2; i++) {
      const answer = await postSms(sandbox, SEND);
      expect(answer.status).toBe(403);
      expect(answer.json.error).toMatchObject({
        name: 'ERROR_API_KEY_SUSPENDED',
        description: ERROR_CATALOGUE.ERROR_API_KEY_SUSPENDED.description,
      });
    }
    expect((await postSms(sandbox, SEND)).status).toBe(201);
  });

  it('a rate applies to that share of requests (decided by the injected random) until cleared', async () => {
    sandbox.inject({ kind: 'vendor-error', name: 'ERROR_QUEUE_FAILURE' }, { rate: 0.5 });
    randoms.push(0.1, 0.9, 0.4);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postSms(sandbox, SEND)).status);
    expect(statuses).toEqual([500, 201, 500]);
    sandbox.clearFaults();
    randoms.push(0.1);
    expect((await postSms(sandbox, SEND)).status).toBe(201);
  });

  it('hang never answers; the client has to time out, and close() still returns', async () => {
    const hanging = await ThaiBulkSmsSandbox.start({ port: 0 });
    hanging.inject({ kind: 'hang' });
    const attempt = postSms(hanging, SEND).then(
      () => 'answered',
      (error: { message?: string }) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hanging.stats().requests['/sms']).toBe(1);
    await hanging.close();
    expect(await attempt).toBe('fetch failed');
    expect(hanging.messages()).toHaveLength(0);
  });

  it('hang answers nothing within a client timeout', async () => {
    sandbox.inject({ kind: 'hang' });
    const { apiKey, apiSecret } = sandbox.credentials;
    const outcome = await fetch(`${sandbox.url}/credit`, {
      headers: { authorization: basicAuth(apiKey, apiSecret) },
      signal: AbortSignal.timeout(150),
    }).then(
      () => 'answered',
      (error: { name?: string }) => error.name,
    );
    expect(outcome).toBe('TimeoutError');
  });

  it('slow answers normally after the delay, and handles the request', async () => {
    sandbox.inject({ kind: 'slow', delayMs: 150 });
    const started = Date.now();
    const answer = await postSms(sandbox, SEND);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(answer.status).toBe(201);
    expect(sandbox.messages()).toHaveLength(1);
  });

  it('trickle sends the headers at once and the body a few bytes at a time', async () => {
    sandbox.inject({ kind: 'trickle', chunkDelayMs: 15, chunkBytes: 40 });
    const { apiKey, apiSecret } = sandbox.credentials;
    const answer = await rawPost(
      `${sandbox.url}/sms`,
      basicAuth(apiKey, apiSecret),
      new URLSearchParams(SEND).toString(),
    );
    const body = Buffer.concat(answer.chunks).toString();
    expect(answer.status).toBe(201);
    expect(answer.chunks.length).toBeGreaterThan(3);
    expect(answer.chunks.every((c) => c.length <= 40)).toBe(true);
    expect(answer.totalMs - answer.firstByteMs).toBeGreaterThanOrEqual(40);
    expect(JSON.parse(body)).toMatchObject({ total_use_credit: 1, credit_type: 'standard' });
  });

  it('drop closes the connection after reading the request, without handling it by default', async () => {
    sandbox.inject({ kind: 'drop' });
    await expect(postSms(sandbox, SEND)).rejects.toThrow();
    expect(sandbox.stats().requests['/sms']).toBe(1);
    expect(sandbox.messages()).toHaveLength(0);
  });

  it('drop with process: true handles the request first (the send went out, the answer was lost)', async () => {
    sandbox.inject({ kind: 'drop' }, { process: true });
    await expect(postSms(sandbox, SEND)).rejects.toThrow();
    expect(sandbox.messages()).toHaveLength(1);
    expect(sandbox.credits().standard).toBe(9999);
  });

  it('html-502 answers an nginx-style HTML 502 page', async () => {
    sandbox.inject({ kind: 'html-502' }, { path: '/sms' });
    const answer = await postSms(sandbox, SEND);
    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toBe('text/html');
    expect(answer.text).toContain('<title>502 Bad Gateway</title>');
    expect(answer.json).toBeUndefined();
  });

  it('malformed-json answers the normal status with JSON that does not parse, after handling the request', async () => {
    sandbox.inject({ kind: 'malformed-json' });
    const answer = await postSms(sandbox, SEND);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
    expect(sandbox.messages()).toHaveLength(1);
  });

  it('otp-error answers an OTP-style error body', async () => {
    sandbox.inject({ kind: 'otp-error', message: 'Token is expire.' }, { path: '/v2/otp/verify' });
    const answer = await postJson(`${sandbox.url}/v2/otp/verify`, { key: 'k', secret: 's', token: 't', pin: '123456' });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code: 400, errors: [{ message: 'Token is expire.', detail: [] }] });
  });

  it('refuses a nonsensical plan', () => {
    expect(() => sandbox.inject({ kind: 'hang' }, { times: 0 })).toThrow(RangeError);
    expect(() => sandbox.inject({ kind: 'hang' }, { rate: 2 })).toThrow(RangeError);
  });

  it('never faults the inbox endpoints', async () => {
    sandbox.inject({ kind: 'html-502' }, { times: 5 });
    expect((await call(`${sandbox.url}/__sandbox/credits`)).status).toBe(200);
    expect((await postSms(sandbox, SEND)).status).toBe(502);
  });
});

describe('sandbox TPS limit', () => {
  it('refuses requests over maxTps in one clock second with 429, unprocessed, and records the window', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 15, 3, 0, 0, 100));
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, clock, maxTps: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await postSms(sandbox, SEND)).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      const refused = await postSms(sandbox, SEND);
      expect(refused.json).toEqual({
        error: { code: 429, name: 'ERROR_TOO_MANY_REQUESTS', description: expect.any(String) },
      });
      expect(sandbox.messages()).toHaveLength(3);

      clock.advance(900); // next second
      expect((await postSms(sandbox, SEND)).status).toBe(201);
      const second = Math.floor(Date.UTC(2025, 0, 15, 3, 0, 0) / 1000);
      expect(sandbox.stats()).toMatchObject({ windowsOverLimit: [{ second, count: 6 }], rejectedOverLimit: 3 });
      expect(sandbox.stats().requests['/sms']).toBe(7);
    } finally {
      await sandbox.close();
    }
  });

  it('counts every API path in the same window and never records a window at the limit', async () => {
    const clock = new FakeClock();
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, clock, maxTps: 2 });
    try {
      const { apiKey, apiSecret } = sandbox.credentials;
      await postSms(sandbox, SEND);
      await call(`${sandbox.url}/credit`, { headers: { authorization: basicAuth(apiKey, apiSecret) } });
      expect(sandbox.stats().windowsOverLimit).toEqual([]);
      expect((await postJson(`${sandbox.url}/v2/otp/request`, {})).status).toBe(429);
      expect(sandbox.stats().windowsOverLimit).toHaveLength(1);
    } finally {
      await sandbox.close();
    }
  });

  it('defaults to 120 per second', async () => {
    const clock = new FakeClock();
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, clock });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 121 }, () => postJson(`${sandbox.url}/v2/otp/request`, {}).then((a) => a.status)),
      );
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
      expect(sandbox.stats().windowsOverLimit).toEqual([{ second: Math.floor(clock.now() / 1000), count: 121 }]);
    } finally {
      await sandbox.close();
    }
  });
});
