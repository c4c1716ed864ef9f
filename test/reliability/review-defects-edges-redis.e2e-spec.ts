import { LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { describeWithRedis, startRedisProxy, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { deleteRedisKeys } from '../support/second-instance';
import { createTestApp, TestApp } from '../support/test-app';
import { writeFragment } from './support/reliability';

/** Regression tests of the review's defects that need a real Redis (issue 12). */
describeWithRedis('Redis down during an OTP route: 503 at once, fail closed (D15)', () => {
  const prefix = `t-d15-${process.pid}-${randomBytes(4).toString('hex')}`;
  const lines: string[] = [];
  const record = (message: unknown): void => {
    lines.push(typeof message === 'string' ? message : JSON.stringify(message));
  };
  const logger: LoggerService = { log: record, warn: record, error: record, fatal: record };
  let proxy: Awaited<ReturnType<typeof startRedisProxy>> | undefined;
  let t: TestApp | undefined;

  beforeAll(async () => {
    proxy = await startRedisProxy();
    t = await createTestApp({ env: { REDIS_URL: proxy.url, REDIS_PREFIX: prefix }, logger });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await deleteRedisKeys(testRedisUrl(), prefix);
  });

  it('answers 503 SERVICE_UNAVAILABLE within a second, sends nothing, and logs no unhandled error', async () => {
    const app = t!;
    const issued = await request(app.server)
      .post('/otp/request')
      .set('x-api-key', app.key)
      .send({ phone: '0812345015' });
    expect(issued.status).toBe(201);
    const sentBefore = app.sandbox.stats().requests['/v2/otp/request'];

    await proxy!.close(); // Redis is gone: every connection cut, new ones refused
    const answers = [];
    for (const [path, body] of [
      ['/otp/request', { phone: '0898765015' }],
      ['/otp/verify', { token: issued.body.token as string, pin: '123456' }],
    ] as const) {
      const started = Date.now();
      const res = await request(app.server).post(path).set('x-api-key', app.key).send(body);
      answers.push({ path, status: res.status, ms: Date.now() - started });
      expect(res.body).toEqual({ statusCode: 503, error: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
    }
    // ioredis fails a command at once while it has no connection (no offline queue); before, each
    // waited for two reconnects (1–4 s) and came back as a 500.
    for (const a of answers) expect(a.ms).toBeLessThan(1_000);
    expect(app.sandbox.stats().requests['/v2/otp/request']).toBe(sentBefore);
    expect(app.sandbox.stats().requests['/v2/otp/verify'] ?? 0).toBe(0);
    expect(lines.filter((l) => /Unhandled error|MaxRetriesPerRequest/.test(l))).toEqual([]);
    writeFragment('defect-D15', {
      id: 'D15',
      proof: `Redis cut mid-run: ${answers.map((a) => `${a.path} ${a.status} in ${a.ms} ms`).join(', ')}; nothing sent upstream, no "Unhandled error"`,
    });
  });
});

describeWithRedis('A refused OTP request does not stretch the cooldown, with the limits in Redis (D16)', () => {
  const prefix = `t-d16-${process.pid}-${randomBytes(4).toString('hex')}`;
  let t: TestApp | undefined;
  const otpRequest = (from: string) =>
    request(t!.server)
      .post('/otp/request')
      .set('x-api-key', t!.key)
      .set('x-forwarded-for', from)
      .send({ phone: '0812345016' });

  beforeAll(async () => {
    t = await createTestApp({
      env: { REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, TRUST_PROXY_HOPS: '1', OTP_PHONE_COOLDOWN_SECONDS: '60' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await deleteRedisKeys(testRedisUrl(), prefix);
  });

  it('the owner retries at t0 + 61 s after a refusal at t0 + 59 s', async () => {
    await otpRequest('198.51.100.161').expect(201);
    t!.clock.advance(59_000);
    await otpRequest('198.51.100.162').expect(429);
    t!.clock.advance(2_000);
    await otpRequest('198.51.100.161').expect(201);
  });
});
