import request from 'supertest';
import { createTestApp, TestApp } from './support/test-app';

describe('GET /credit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.sandbox.reset());

  it('answers both pools', async () => {
    t.sandbox.setCredits({ standard: 1234, corporate: 56 });
    const res = await request(t.server).get('/credit').set('x-api-key', t.key).expect(200);
    expect(res.body).toEqual({ standard: 1234, corporate: 56 });
  });

  it('maps an account problem to 503, never 401', async () => {
    t.sandbox.failNext('ERROR_AUTHENTICATION_FAILED', { path: '/credit', times: 5 });
    const res = await request(t.server).get('/credit').set('x-api-key', t.key);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ statusCode: 503, error: 'ERROR_AUTHENTICATION_FAILED', message: expect.any(String) });
  });

  it('maps an upstream failure to 502', async () => {
    t.sandbox.inject({ kind: 'html-502' }, { path: '/credit', times: 5 });
    const res = await request(t.server).get('/credit').set('x-api-key', t.key);
    expect(res.status).toBe(502);
  });
});

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Every test asks the API anew (the cache itself: test/reliability/review-defects-edges.e2e-spec.ts),
    // and the rate limit is off: a check finding no free slot (requests a few ms apart) keeps the last result.
    t = await createTestApp({
      env: { THAIBULKSMS_MIN_CREDIT: '100', HEALTH_CACHE_SECONDS: '0', THAIBULKSMS_MAX_TPS: '0' },
    });
  });
  afterAll(() => t.close());
  beforeEach(() => t.sandbox.reset());

  it('is up when the API answers and credit is above THAIBULKSMS_MIN_CREDIT, without a key', async () => {
    const res = await request(t.server).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', details: { thaibulksms: { status: 'up' } } });
  });

  it('is down (503) below THAIBULKSMS_MIN_CREDIT, and shows no balances', async () => {
    t.sandbox.setCredits({ standard: 99 });
    const res = await request(t.server).get('/health').expect(503);
    expect(res.body).toMatchObject({
      status: 'error',
      details: { thaibulksms: { status: 'down', reason: expect.any(String) } },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/99|10000/);
  });

  it('is down (503) when the API is failing', async () => {
    t.sandbox.failNext('ERROR_SYSTEM_FAILURE', { path: '/credit', times: 10 });
    const res = await request(t.server).get('/health').expect(503);
    expect(res.body.details.thaibulksms).toEqual({ status: 'down', reason: 'ERROR_SYSTEM_FAILURE' });
  });
});

describe('GET /docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves Swagger UI and an OpenAPI document of every route, with the x-api-key scheme', async () => {
    await request(t.server).get('/docs').expect(200).expect('content-type', /html/);
    const { body } = await request(t.server).get('/docs/json').expect(200);
    expect(Object.keys(body.paths).sort()).toEqual([
      '/alerts',
      '/alerts/{id}',
      '/credit',
      '/health',
      '/health/live',
      '/otp/request',
      '/otp/verify',
      '/sms',
      // With LEDGER_ENABLED=false (the test default) the erasure route stays: the opt-out list joins it.
      '/subjects/{phone}',
      '/suppressions',
      '/suppressions/{phone}',
      '/webhooks/thaibulksms/{token}',
    ]);
    expect(body.components.securitySchemes['api-key']).toEqual({
      type: 'apiKey',
      name: 'x-api-key',
      in: 'header',
      description: expect.stringContaining('dev-key-change-me'),
    });
    for (const [path, op] of [
      ['/sms', 'post'],
      ['/alerts', 'post'],
      ['/otp/request', 'post'],
      ['/otp/verify', 'post'],
      ['/credit', 'get'],
      ['/alerts/{id}', 'get'],
    ] as const) {
      expect(body.paths[path][op].security).toEqual([{ 'api-key': [] }]);
      expect(body.paths[path][op].responses['401']).toBeDefined();
    }
    expect(body.paths['/health'].get.security).toBeUndefined();
    expect(body.paths['/health/live'].get.security).toBeUndefined();
    // Every DTO property is documented.
    const send = body.components.schemas.SendSmsDto;
    expect(Object.keys(send.properties).sort()).toEqual([
      'callbackMethod',
      'callbackUrl',
      'category',
      'force',
      'message',
      'scheduledAt',
      'sender',
      'shortenUrl',
      'tags',
      'to',
    ]);
    expect(send.required.sort()).toEqual(['message', 'to']);
    expect(Object.keys(body.components.schemas.SendAlertDto.properties)).toHaveLength(10);
    expect(Object.keys(body.components.schemas.RequestOtpDto.properties)).toEqual(['phone']);
    expect(Object.keys(body.components.schemas.VerifyOtpDto.properties).sort()).toEqual(['pin', 'token']);
    expect(body.components.schemas.ApiErrorDto).toBeDefined();
  });
});
