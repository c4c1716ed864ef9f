import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { describeWithRedis, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { createSecondInstance, deleteRedisKeys } from './support/second-instance';
import { createTestApp, TestApp, thaiMobile } from './support/test-app';

const THROTTLED = { statusCode: 429, error: 'TOO_MANY_REQUESTS', message: 'Too many requests. Try again later.' };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describeWithRedis('OTP limits and verify attempts across two instances sharing Redis', () => {
  const redisUrl = testRedisUrl();
  const prefix = `t-otp-${process.pid}-${randomBytes(4).toString('hex')}`;
  let a: TestApp;
  let b: TestApp;
  let ip = 0;
  let clientIp: string;
  let phoneIndex = 500;

  const env = {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    TRUST_PROXY_HOPS: '1',
    OTP_PHONE_COOLDOWN_SECONDS: '60',
    OTP_PHONE_DAILY_LIMIT: '3',
    OTP_IP_LIMIT: '4',
    OTP_VERIFY_IP_LIMIT: '100',
    OTP_VERIFY_MAX_ATTEMPTS: '5',
  };
  const otpRequest = (t: TestApp, phone: string, from = clientIp) =>
    request(t.server).post('/otp/request').set('x-api-key', t.key).set('x-forwarded-for', from).send({ phone });
  const otpVerify = (t: TestApp, token: string, pin: string) =>
    request(t.server).post('/otp/verify').set('x-api-key', t.key).set('x-forwarded-for', clientIp).send({ token, pin });
  const wrongPin = (pin: string) => (pin === '000000' ? '111111' : '000000');

  beforeAll(async () => {
    a = await createTestApp({ env });
    b = await createSecondInstance(a, env); // same sandbox (vendor), same clock, same Redis and prefix
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await deleteRedisKeys(redisUrl, prefix);
  });
  beforeEach(() => {
    a.sandbox.reset();
    clientIp = `198.51.100.${++ip}`;
    a.clock.advance(2 * DAY); // b reads the same clock
  });

  it('keeps the per-phone cooldown across instances: one OTP per phone per minute, whichever instance is asked', async () => {
    const phone = thaiMobile(++phoneIndex);
    await otpRequest(a, phone).expect(201);
    const res = await otpRequest(b, phone, '198.51.100.200');
    expect(res.status).toBe(429);
    expect(res.body).toEqual(THROTTLED);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    // The same phone written another way is the same phone, on the other instance too.
    expect((await otpRequest(a, `+66${phone.slice(1)}`, '198.51.100.201')).status).toBe(429);
    expect(a.sandbox.stats().requests['/v2/otp/request']).toBe(1);

    a.clock.advance(MINUTE);
    await otpRequest(b, phone).expect(201);
  });

  it('keeps the daily cap per phone across instances', async () => {
    const phone = thaiMobile(++phoneIndex);
    for (const t of [a, b, a]) {
      await otpRequest(t, phone, `198.51.100.${++ip}`).expect(201);
      a.clock.advance(MINUTE);
    }
    expect((await otpRequest(b, phone, `198.51.100.${++ip}`)).status).toBe(429);
    a.clock.advance(DAY);
    await otpRequest(b, phone, `198.51.100.${++ip}`).expect(201);
  });

  it('keeps the per-IP limit across instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await otpRequest(i % 2 === 0 ? a : b, thaiMobile(++phoneIndex))).status);
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
  });

  it('an IP over its limit on one instance does not arm the phone cooldown for the other instance', async () => {
    const attacker = clientIp;
    for (let i = 0; i < 4; i++) await otpRequest(a, thaiMobile(++phoneIndex), attacker).expect(201);
    const victimPhone = thaiMobile(++phoneIndex);
    expect((await otpRequest(a, victimPhone, attacker)).status).toBe(429);
    await otpRequest(b, victimPhone, '198.51.100.220').expect(201);
  });

  it('two instances asked at the same moment send one OTP per phone, not two', async () => {
    const phone = thaiMobile(++phoneIndex);
    const results = await Promise.all([otpRequest(a, phone, '198.51.100.210'), otpRequest(b, phone, '198.51.100.211')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 429]);
    expect(a.sandbox.stats().requests['/v2/otp/request']).toBe(1);
  });

  it('counts verify attempts per token across instances: five in total, then the token is dead even with the right PIN', async () => {
    const { body } = await otpRequest(a, thaiMobile(++phoneIndex)).expect(201);
    const pin = a.sandbox.lastOtp()!.pin;
    for (const t of [a, b, a, b, a]) {
      const res = await otpVerify(t, body.token, wrongPin(pin));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('OTP_CODE_INVALID');
    }
    for (const t of [b, a]) {
      const res = await otpVerify(t, body.token, pin);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('OTP_TOKEN_EXPIRED');
    }
    expect(a.sandbox.stats().requests['/v2/otp/verify']).toBe(5);
  });

  it('a token issued by one instance verifies on the other, once', async () => {
    const { body } = await otpRequest(a, thaiMobile(++phoneIndex)).expect(201);
    const pin = a.sandbox.lastOtp()!.pin;
    await otpVerify(b, body.token, pin).expect(200);
    expect((await otpVerify(a, body.token, pin)).body.error).toBe('OTP_TOKEN_EXPIRED');
  });

  it('concurrent attempts on both instances never exceed the limit', async () => {
    const { body } = await otpRequest(a, thaiMobile(++phoneIndex)).expect(201);
    const pin = a.sandbox.lastOtp()!.pin;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => otpVerify(i % 2 ? a : b, body.token, wrongPin(pin))),
    );
    const errors = results.map((r) => r.body.error);
    expect(errors.filter((e) => e === 'OTP_CODE_INVALID')).toHaveLength(5);
    expect(errors.filter((e) => e === 'OTP_TOKEN_EXPIRED')).toHaveLength(7);
    expect(a.sandbox.stats().requests['/v2/otp/verify']).toBe(5);
  });

  it('keeps its keys under REDIS_PREFIX, with an expiry, and stores no token in clear', async () => {
    const { body } = await otpRequest(a, thaiMobile(++phoneIndex)).expect(201);
    const { Redis } = await import('ioredis');
    const redis = new Redis(redisUrl);
    try {
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((k) => k.startsWith(`${prefix}:throttle:`) || k.startsWith(`${prefix}:otp-token:`))).toBe(true);
      expect(keys.some((k) => k.includes(body.token))).toBe(false);
      for (const k of keys) expect(await redis.pttl(k)).toBeGreaterThan(0);
    } finally {
      await redis.quit();
    }
  });
});
