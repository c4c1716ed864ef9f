import request from 'supertest';
import { ThaiBulkSmsSandbox } from '@app/thai-bulk-sms/sandbox';
import { createTestApp, TestApp, thaiMobile } from '../support/test-app';
import { writeFragment } from './support/reliability';

/**
 * Regression tests of the adversarial review's OTP defects (issue 12), on the real app against its
 * sandbox; each writes the `defect-D<n>` fragment for the reliability report. With the limits in
 * Redis: review-defects-edges-redis.e2e-spec.ts.
 */

const THROTTLED = { statusCode: 429, error: 'TOO_MANY_REQUESTS', message: 'Too many requests. Try again later.' };
const DAY = 86_400_000;

describe('OTP limits: one answer, no stretched blocks (D7, D16)', () => {
  let t: TestApp;
  let ip = 0;
  const nextIp = () => `203.0.113.${++ip}`;
  const otpRequest = (phone: string, from: string) =>
    request(t.server).post('/otp/request').set('x-api-key', t.key).set('x-forwarded-for', from).send({ phone });

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        TRUST_PROXY_HOPS: '1',
        OTP_PHONE_COOLDOWN_SECONDS: '60',
        OTP_PHONE_DAILY_LIMIT: '3',
        OTP_IP_LIMIT: '4',
        OTP_IP_WINDOW_SECONDS: '3600',
      },
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t.sandbox.reset();
    t.clock.advance(2 * DAY);
  });

  // The test clock is real time plus an offset: the steps leave a second either side for a slow machine.
  it('D16: a refused request near the end of a cooldown does not stretch it; the owner retries just after it', async () => {
    const phone = thaiMobile(1601);
    await otpRequest(phone, nextIp()).expect(201);
    t.clock.advance(59_000);
    const attacker = await otpRequest(phone, nextIp());
    expect(attacker.status).toBe(429);
    t.clock.advance(2_000);
    const owner = await otpRequest(phone, nextIp());
    expect(owner.status).toBe(201);
    expect(t.sandbox.otps().filter((o) => o.phone === `66${phone.slice(1)}`)).toHaveLength(2);
    writeFragment('defect-D16', {
      id: 'D16',
      proof:
        'cooldown 60 s: a refusal at t0+59 s left the block at t0+60 s (it was t0+119 s); the owner got an OTP at t0+61 s (in memory; with the limits in Redis: the -redis spec)',
    });
  });

  it('D7: the cooldown, the per-IP limit and the daily cap answer exactly alike, Retry-After included', async () => {
    // Cooldown: the phone asked a moment ago.
    const cooling = thaiMobile(701);
    await otpRequest(cooling, nextIp()).expect(201);
    const cooldown = await otpRequest(cooling, nextIp());

    // Per IP: the fifth request of one client, each for another phone.
    const client = nextIp();
    for (let i = 0; i < 4; i++) await otpRequest(thaiMobile(710 + i), client).expect(201);
    const ipLimited = await otpRequest(thaiMobile(720), client);

    // Daily cap: the phone's fourth OTP of the day, each from another client and past the cooldown.
    const capped = thaiMobile(730);
    for (let i = 0; i < 3; i++) {
      await otpRequest(capped, nextIp()).expect(201);
      t.clock.advance(61_000);
    }
    const daily = await otpRequest(capped, nextIp());

    const answers = [cooldown, ipLimited, daily];
    const limitHeaders = (h: Record<string, string>) =>
      Object.entries(h)
        .filter(([k]) => /rate|retry|limit/i.test(k))
        .sort(([a], [b]) => a.localeCompare(b));
    for (const answer of answers) {
      expect(answer.status).toBe(429);
      expect(answer.body).toEqual(THROTTLED);
      expect(limitHeaders(answer.headers as Record<string, string>)).toEqual(
        limitHeaders(cooldown.headers as Record<string, string>),
      );
    }
    expect(answers.map((a) => a.headers['retry-after'])).toEqual(['60', '60', '60']);
    writeFragment('defect-D7', {
      id: 'D7',
      proof:
        'cooldown, per-IP limit and daily cap: the same 429 body and the same Retry-After (the cooldown, 60 s) for all three (was ≤60, 3600, 86400)',
    });
  });
});

describe('OTP requests that never reached the vendor do not count against the phone (D3)', () => {
  let t: TestApp;
  let vendor: ThaiBulkSmsSandbox | undefined;

  beforeAll(async () => {
    t = await createTestApp({
      env: { TRUST_PROXY_HOPS: '1', OTP_PHONE_COOLDOWN_SECONDS: '60', OTP_PHONE_DAILY_LIMIT: '3' },
    });
  });
  afterAll(async () => {
    await vendor?.close();
    await t.close();
  });

  it('three refused connections leave the cooldown and the daily cap untouched: the next request sends the OTP', async () => {
    const port = Number(new URL(t.sandbox.url).port);
    const credentials = t.sandbox.credentials;
    await t.sandbox.close(); // nothing listens on the vendor's port: every request is refused
    const phone = '0812345003';
    for (let i = 0; i < 3; i++) {
      const refused = await request(t.server)
        .post('/otp/request')
        .set('x-api-key', t.key)
        .set('x-forwarded-for', `198.51.100.${30 + i}`)
        .send({ phone });
      expect(refused.status).toBe(502);
      expect(refused.body.error).toBe('ERROR_UPSTREAM_UNREACHABLE');
    }
    // The vendor is back on the same address: the phone's first real OTP goes out at once.
    vendor = await ThaiBulkSmsSandbox.start({ port, ...credentials, clock: t.clock });
    const sent = await request(t.server)
      .post('/otp/request')
      .set('x-api-key', t.key)
      .set('x-forwarded-for', '198.51.100.40')
      .send({ phone });
    expect(sent.status).toBe(201);
    expect(vendor.otps()).toHaveLength(1);
    writeFragment('defect-D3', {
      id: 'D3',
      proof:
        '3 OTP requests refused at connect (502 ERROR_UPSTREAM_UNREACHABLE), then the 4th was sent at once: cooldown and daily cap 3 untouched',
    });
  });
});

describe('An OTP verify that times out or is cut off asks for a new code and retires the token (D14)', () => {
  let t: TestApp;
  const proofs: string[] = [];
  const verify = (token: string, pin: string) =>
    request(t.server).post('/otp/verify').set('x-api-key', t.key).send({ token, pin });

  beforeAll(async () => {
    t = await createTestApp({ env: { THAIBULKSMS_TIMEOUT_MS: '300', OTP_VERIFY_IP_LIMIT: '1000' } });
  });
  afterAll(() => t.close());
  beforeEach(() => t.sandbox.reset());

  it.each([
    ['times out', '0812345014', { kind: 'hang' } as const, {}, 504],
    ['is cut off after the vendor handled it', '0812345015', { kind: 'drop' } as const, { process: true }, 502],
  ])('a verify that %s', async (label, phone, fault, plan, status) => {
    const issued = await request(t.server).post('/otp/request').set('x-api-key', t.key).send({ phone });
    expect(issued.status).toBe(201);
    const token = issued.body.token as string;
    const pin = t.sandbox.lastOtp()!.pin;
    t.sandbox.inject(fault, { path: '/v2/otp/verify', times: 1, ...plan });

    const unknown = await verify(token, pin);
    expect(unknown.status).toBe(status);
    expect(unknown.body).toEqual({
      statusCode: status,
      error: 'OTP_VERIFY_OUTCOME_UNKNOWN',
      message: expect.stringContaining('request a new code'),
    });
    expect(unknown.body.message).not.toMatch(/SMS may have been sent|retry blindly/);
    const calls = t.sandbox.stats().requests['/v2/otp/verify'];
    expect(calls).toBe(1);

    // The token is retired: the same token again is refused here, without another upstream verify.
    const again = await verify(token, pin);
    expect(again.body).toEqual({ statusCode: 400, error: 'OTP_TOKEN_EXPIRED', message: expect.any(String) });
    expect(t.sandbox.stats().requests['/v2/otp/verify']).toBe(calls);
    proofs.push(
      `${label}: ${status} OTP_VERIFY_OUTCOME_UNKNOWN "request a new code", token retired (1 upstream verify)`,
    );
  });

  afterAll(() => {
    if (proofs.length === 2) writeFragment('defect-D14', { id: 'D14', proof: proofs.join('; ') });
  });
});
