import request from 'supertest';
import { createTestApp, TestApp, thaiMobile } from './support/test-app';

const THROTTLED = { statusCode: 429, error: 'TOO_MANY_REQUESTS', message: 'Too many requests. Try again later.' };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('OTP', () => {
  let t: TestApp;
  let ip = 0;
  /** Each test gets its own client IP (via X-Forwarded-For, TRUST_PROXY_HOPS=1) unless it says otherwise. */
  let clientIp: string;
  const otpRequest = (phone: unknown, from = clientIp) =>
    request(t.server).post('/otp/request').set('x-api-key', t.key).set('x-forwarded-for', from).send({ phone });
  const otpVerify = (token: string, pin: string, from = clientIp) =>
    request(t.server).post('/otp/verify').set('x-api-key', t.key).set('x-forwarded-for', from).send({ token, pin });
  const wrongPin = (pin: string) => (pin === '000000' ? '111111' : '000000');

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        TRUST_PROXY_HOPS: '1',
        OTP_PHONE_COOLDOWN_SECONDS: '60',
        OTP_PHONE_DAILY_LIMIT: '3',
        OTP_IP_LIMIT: '4',
        OTP_VERIFY_IP_LIMIT: '8',
        OTP_IP_WINDOW_SECONDS: '3600',
        OTP_VERIFY_MAX_ATTEMPTS: '5',
        OTP_TOKEN_TTL_SECONDS: '300',
      },
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t.sandbox.reset();
    clientIp = `203.0.113.${++ip}`;
    // Every test starts a day later: the previous tests' windows are all over.
    t.clock.advance(2 * DAY);
  });

  describe('POST /otp/request', () => {
    it('sends an OTP and answers the token and refno', async () => {
      const res = await otpRequest('0812345678').expect(201);
      expect(res.body).toEqual({ token: expect.any(String), refno: expect.any(String) });
      expect(t.sandbox.lastOtp()).toMatchObject({ token: res.body.token, refno: res.body.refno, phone: '66812345678' });
    });

    it.each([
      ['a landline', '021234567'],
      ['a foreign mobile', '+14155552671'],
      ['letters', 'not-a-phone'],
      ['nothing', undefined],
    ])('accepts only Thai mobile numbers: %s → 400 ERROR_MSISDN, nothing sent', async (_label, phone) => {
      const res = await otpRequest(phone);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'ERROR_MSISDN', message: expect.any(String) });
      expect(t.sandbox.stats().requests['/v2/otp/request'] ?? 0).toBe(0);
    });

    it('allows one OTP per phone per cooldown, whatever form the number is written in', async () => {
      await otpRequest('0812345678').expect(201);
      const again = await otpRequest('+66 81 234 5678');
      expect(again.status).toBe(429);
      expect(again.body).toEqual(THROTTLED);
      expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(t.sandbox.stats().requests['/v2/otp/request']).toBe(1);

      t.clock.advance((59 * MINUTE) / 60);
      await otpRequest('0812345678').expect(429);
      t.clock.advance(2_000);
      await otpRequest('0812345678').expect(201);
    });

    it('the cooldown of one phone does not hold back another', async () => {
      await otpRequest('0812345678').expect(201);
      await otpRequest('0898765432').expect(201);
    });

    it('caps OTPs per phone per day (OTP_PHONE_DAILY_LIMIT) until the day is over, with the same Retry-After as every limit', async () => {
      for (let i = 0; i < 3; i++) {
        clientIp = `198.51.100.${i + 1}`; // keep the per-IP limit out of the way
        await otpRequest('0812345678').expect(201);
        t.clock.advance(MINUTE + 1_000);
      }
      clientIp = '198.51.100.50';
      const capped = await otpRequest('0812345678');
      expect(capped.status).toBe(429);
      expect(capped.body).toEqual(THROTTLED);
      // The cooldown's Retry-After, not the day's remainder: which limit tripped stays unknown.
      expect(capped.headers['retry-after']).toBe('60');
      expect(t.sandbox.stats().requests['/v2/otp/request']).toBe(3);

      t.clock.advance(DAY / 2);
      clientIp = '198.51.100.51';
      await otpRequest('0812345678').expect(429);
      t.clock.advance(DAY / 2);
      await otpRequest('0812345678').expect(201);
    });

    it('limits each client IP (OTP_IP_LIMIT), across different phones, with the same answer', async () => {
      for (let i = 0; i < 4; i++) await otpRequest(thaiMobile(100 + i)).expect(201);
      const limited = await otpRequest(thaiMobile(200));
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual(THROTTLED);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another client is not affected.
      await otpRequest(thaiMobile(201), '192.0.2.77').expect(201);
    });

    describe('a refused request never counts against the phone it names', () => {
      const sentTo = (msisdn: string) => t.sandbox.otps().filter((o) => o.phone === msisdn).length;

      it("an attacker whose IP is over its limit cannot lock a victim out by asking for the victim's phone", async () => {
        const attacker = clientIp;
        for (let i = 0; i < 4; i++) await otpRequest(thaiMobile(600 + i), attacker).expect(201);
        // Once a minute the attacker asks for the victim's phone: refused, nothing sent, and each
        // time the victim asking right after still gets an OTP (as many as the daily cap allows).
        for (let minute = 0; minute < 3; minute++) {
          const refused = await otpRequest('0812345678', attacker);
          expect(refused.status).toBe(429);
          expect(refused.body).toEqual(THROTTLED);
          expect(sentTo('66812345678')).toBe(minute);

          const victim = await otpRequest('0812345678', '192.0.2.10');
          expect(victim.status).toBe(201);
          expect(sentTo('66812345678')).toBe(minute + 1);
          t.clock.advance(MINUTE + 1_000);
        }
      });

      it('a body that fails validation (a valid phone plus an unknown field) answers 400 and does not arm the cooldown', async () => {
        const res = await request(t.server)
          .post('/otp/request')
          .set('x-api-key', t.key)
          .set('x-forwarded-for', clientIp)
          .send({ phone: '0812345678', channel: 'sms' });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ statusCode: 400, error: 'ERROR_FORM', message: expect.stringContaining('channel') });
        expect(sentTo('66812345678')).toBe(0);

        await otpRequest('0812345678').expect(201);
        expect(sentTo('66812345678')).toBe(1);
      });
    });

    it('gives no hint of which limit tripped: same status, body and headers apart from Retry-After', async () => {
      await otpRequest('0812345678').expect(201);
      const cooldown = await otpRequest('0812345678');
      for (let i = 0; i < 3; i++) await otpRequest(thaiMobile(300 + i));
      const ipLimited = await otpRequest(thaiMobile(400));
      expect(cooldown.status).toBe(ipLimited.status);
      expect(cooldown.body).toEqual(ipLimited.body);
      const names = (h: Record<string, unknown>) =>
        Object.keys(h)
          .filter((k) => /rate|retry|limit/i.test(k))
          .sort();
      expect(names(cooldown.headers)).toEqual(['retry-after']);
      expect(names(ipLimited.headers)).toEqual(['retry-after']);
    });
  });

  describe('POST /otp/verify', () => {
    const issue = async (phone = '0812345678') => {
      const res = await otpRequest(phone).expect(201);
      const pin = t.sandbox.lastOtp()!.pin;
      return { token: res.body.token as string, pin };
    };

    it('answers 200 for the right PIN, then the token is used up', async () => {
      const { token, pin } = await issue();
      const res = await otpVerify(token, pin).expect(200);
      expect(res.body).toEqual({ verified: true, message: expect.any(String) });
      const again = await otpVerify(token, pin);
      expect(again.status).toBe(400);
      expect(again.body.error).toBe('OTP_TOKEN_EXPIRED');
    });

    it('answers 400 OTP_CODE_INVALID for a wrong PIN', async () => {
      const { token, pin } = await issue();
      const res = await otpVerify(token, wrongPin(pin));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'OTP_CODE_INVALID', message: expect.any(String) });
    });

    it('allows at most 5 attempts per token: the 5th may succeed…', async () => {
      const { token, pin } = await issue();
      for (let i = 0; i < 4; i++) await otpVerify(token, wrongPin(pin)).expect(400);
      await otpVerify(token, pin).expect(200);
    });

    it('…and after 5 wrong PINs the token is dead, even with the right PIN, without asking the API', async () => {
      const { token, pin } = await issue();
      for (let i = 0; i < 5; i++) {
        const res = await otpVerify(token, wrongPin(pin));
        expect(res.body.error).toBe('OTP_CODE_INVALID');
      }
      const dead = await otpVerify(token, pin);
      expect(dead.status).toBe(400);
      expect(dead.body).toEqual({ statusCode: 400, error: 'OTP_TOKEN_EXPIRED', message: expect.any(String) });
      expect(t.sandbox.stats().requests['/v2/otp/verify']).toBe(5);
    });

    it('when a verify may have used the token up (a 5xx, then "expired" on the retry), answers 502 and retires the token', async () => {
      const { token, pin } = await issue();
      t.sandbox.inject(
        { kind: 'vendor-error', name: 'ERROR_SYSTEM_FAILURE', status: 500 },
        { path: '/v2/otp/verify', process: true },
      );
      const unknown = await otpVerify(token, pin);
      expect(unknown.status).toBe(502);
      expect(unknown.body).toEqual({
        statusCode: 502,
        error: 'OTP_VERIFY_OUTCOME_UNKNOWN',
        message: expect.stringContaining('request a new code'),
      });
      const calls = t.sandbox.stats().requests['/v2/otp/verify'];
      expect(calls).toBe(2);
      const again = await otpVerify(token, pin);
      expect(again.body).toEqual({ statusCode: 400, error: 'OTP_TOKEN_EXPIRED', message: expect.any(String) });
      expect(t.sandbox.stats().requests['/v2/otp/verify']).toBe(calls);
    });

    it('answers an unknown token exactly like an expired or dead one, without asking the API', async () => {
      const { token, pin } = await issue();
      for (let i = 0; i < 5; i++) await otpVerify(token, wrongPin(pin));
      const dead = await otpVerify(token, pin);
      const unknown = await otpVerify('never-issued-token', '123456');
      expect(unknown.status).toBe(dead.status);
      expect(unknown.body).toEqual(dead.body);
      expect(t.sandbox.stats().requests['/v2/otp/verify']).toBe(5);
    });

    it('answers OTP_TOKEN_EXPIRED once the OTP lifetime has passed', async () => {
      const { token, pin } = await issue();
      t.clock.advance(5 * MINUTE + 1_000);
      const res = await otpVerify(token, pin);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('OTP_TOKEN_EXPIRED');
    });

    it('limits verify calls per client IP too (OTP_VERIFY_IP_LIMIT)', async () => {
      const { token, pin } = await issue();
      for (let i = 0; i < 8; i++) await otpVerify('guess-' + i, pin);
      const limited = await otpVerify(token, pin);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual(THROTTLED);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });

    it.each([
      ['a PIN with letters', { token: 'abc', pin: '12ab56' }],
      ['no token', { pin: '123456' }],
      ['an unknown field', { token: 'abc', pin: '123456', phone: '0812345678' }],
    ])('rejects %s with 400', async (_label, body) => {
      const res = await request(t.server)
        .post('/otp/verify')
        .set('x-api-key', t.key)
        .set('x-forwarded-for', clientIp)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: expect.stringMatching(/^[A-Z_]+$/),
        message: expect.any(String),
      });
    });

    it('account problems on the OTP API are 503, not 401', async () => {
      t.sandbox.inject(
        { kind: 'vendor-error', name: 'OTP_APPLICATION_NOT_FOUND' },
        { path: '/v2/otp/request', times: 1 },
      );
      const res = await otpRequest('0812345678');
      expect(res.status).toBeGreaterThanOrEqual(500);
    });
  });
});
