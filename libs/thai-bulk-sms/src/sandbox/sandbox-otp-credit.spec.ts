import { ERROR_CATALOGUE } from '../errors/error-catalogue';
import { basicAuth, call, FakeClock, postJson, postSms, SEND } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

describe('sandbox GET /credit', () => {
  let sandbox: ThaiBulkSmsSandbox;
  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0, credits: { standard: 6093, corporate: 4498 } });
  });
  afterAll(() => sandbox.close());

  const getCredit = (auth?: string) => call(`${sandbox.url}/credit`, { headers: auth ? { authorization: auth } : {} });

  it('answers both pools as docs/vendor-api.md shows, and follows what sends charge', async () => {
    const { apiKey, apiSecret } = sandbox.credentials;
    const before = await getCredit(basicAuth(apiKey, apiSecret));
    expect(before.status).toBe(200);
    expect(before.json).toEqual({ remaining_credit: { standard: 6093, corporate: 4498 } });
    await postSms(sandbox, { ...SEND, force: 'corporate' });
    expect((await getCredit(basicAuth(apiKey, apiSecret))).json).toEqual({
      remaining_credit: { standard: 6093, corporate: 4497 },
    });
  });

  it('refuses without valid Basic auth', async () => {
    const answer = await getCredit(basicAuth('x', 'y'));
    expect(answer.status).toBe(401);
    expect(answer.json.error).toEqual({
      code: 401,
      name: 'ERROR_AUTHENTICATION_FAILED',
      description: ERROR_CATALOGUE.ERROR_AUTHENTICATION_FAILED.description,
    });
  });
});

describe('sandbox OTP', () => {
  const clock = new FakeClock();
  let sandbox: ThaiBulkSmsSandbox;
  let app: { key: string; secret: string };
  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0, clock });
    app = { key: sandbox.credentials.otpKey, secret: sandbox.credentials.otpSecret };
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const request = (body: unknown) => postJson(`${sandbox.url}/v2/otp/request`, body);
  const verify = (body: unknown) => postJson(`${sandbox.url}/v2/otp/verify`, body);
  const otpError = (message: string) => ({ code: 400, errors: [{ message, detail: [] }] });

  it('runs the full cycle: request → PIN in the inbox → verify answers "Code is correct."', async () => {
    const requested = await request({ ...app, msisdn: '0812345678' });
    expect(requested.status).toBe(200);
    expect(requested.json).toEqual({
      status: 'success',
      token: expect.stringMatching(/^[0-9A-Za-z]{24}$/),
      refno: expect.stringMatching(/^[A-Z0-9]{5}$/),
    });
    const otp = sandbox.lastOtp();
    expect(otp).toMatchObject({
      token: requested.json.token,
      refno: requested.json.refno,
      phone: '66812345678',
      status: 'pending',
      attempts: 0,
    });
    expect(otp?.pin).toMatch(/^\d{6}$/);
    expect(otp?.expiresAt).toBe(clock.now() + 5 * 60_000);

    const verified = await verify({ ...app, token: requested.json.token, pin: otp?.pin });
    expect(verified.status).toBe(200);
    expect(verified.json).toEqual({ status: 'success', message: 'Code is correct.' });
    expect(sandbox.lastOtp()?.status).toBe('verified');
  });

  it('accepts form-encoded bodies too', async () => {
    const answer = await call(`${sandbox.url}/v2/otp/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...app, msisdn: '+66812345678' }).toString(),
    });
    expect(answer.status).toBe(200);
    expect(sandbox.lastOtp()?.phone).toBe('66812345678');
  });

  it('is single use: a second verify with the right PIN answers "Token is expire."', async () => {
    const { json } = await request({ ...app, msisdn: '0812345678' });
    const pin = sandbox.lastOtp()?.pin;
    expect((await verify({ ...app, token: json.token, pin })).status).toBe(200);
    const again = await verify({ ...app, token: json.token, pin });
    expect(again.status).toBe(400);
    expect(again.json).toEqual(otpError('Token is expire.'));
  });

  it('expires after 5 minutes on the injected clock, not before', async () => {
    const { json } = await request({ ...app, msisdn: '0812345678' });
    const pin = sandbox.lastOtp()?.pin as string;
    const wrongPin = pin === '000000' ? '111111' : '000000';
    clock.advance(5 * 60_000 - 1);
    expect((await verify({ ...app, token: json.token, pin: wrongPin })).json).toEqual(otpError('Code is invalid.'));
    clock.advance(1);
    expect(sandbox.lastOtp()?.status).toBe('expired');
    const late = await verify({ ...app, token: json.token, pin });
    expect(late.status).toBe(400);
    expect(late.json).toEqual(otpError('Token is expire.'));
  });

  it('answers "Code is invalid." for a wrong PIN, counts the attempt and keeps the token usable', async () => {
    const { json } = await request({ ...app, msisdn: '0812345678' });
    const pin = sandbox.lastOtp()?.pin as string;
    const wrong = String((Number(pin) + 1) % 1_000_000).padStart(6, '0');
    const answer = await verify({ ...app, token: json.token, pin: wrong });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(otpError('Code is invalid.'));
    expect(sandbox.lastOtp()?.attempts).toBe(1);
    expect((await verify({ ...app, token: json.token, pin })).status).toBe(200);
  });

  it.each([
    ['no key', { key: undefined }],
    ['no msisdn', { msisdn: undefined }],
    ['a number that is not a Thai mobile', { msisdn: '021234567' }],
  ])('answers "Invalid Paramete." to a request with %s', async (_label, patch) => {
    const answer = await request({ ...app, msisdn: '0812345678', ...patch });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(otpError('Invalid Paramete.'));
  });

  it.each([
    ['no token', { token: undefined }],
    ['a 5-digit PIN', { pin: '12345' }],
    ['a PIN with letters', { pin: '12a456' }],
  ])('answers "Invalid Paramete." to a verify with %s', async (_label, patch) => {
    const { json } = await request({ ...app, msisdn: '0812345678' });
    const answer = await verify({ ...app, token: json.token, pin: '123456', ...patch });
    expect(answer.json).toEqual(otpError('Invalid Paramete.'));
  });

  it('answers "Application not found." for a wrong key or secret, on both calls', async () => {
    expect((await request({ key: 'nope', secret: app.secret, msisdn: '0812345678' })).json).toEqual(
      otpError('Application not found.'),
    );
    const { json } = await request({ ...app, msisdn: '0812345678' });
    const answer = await verify({ key: app.key, secret: 'nope', token: json.token, pin: sandbox.lastOtp()?.pin });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(otpError('Application not found.'));
    expect(sandbox.lastOtp()?.status).toBe('pending');
  });

  it('answers an unknown token like an expired one', async () => {
    expect((await verify({ ...app, token: 'unknown-token', pin: '123456' })).json).toEqual(
      otpError('Token is expire.'),
    );
  });

  it('honours a configured TTL', async () => {
    const short = await ThaiBulkSmsSandbox.start({ port: 0, clock, otpTtlMs: 1000 });
    try {
      await postJson(`${short.url}/v2/otp/request`, { ...app, msisdn: '0812345678' });
      expect(short.lastOtp()?.expiresAt).toBe(clock.now() + 1000);
    } finally {
      await short.close();
    }
  });
});
